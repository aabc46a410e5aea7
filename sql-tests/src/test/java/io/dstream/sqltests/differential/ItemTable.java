package io.dstream.sqltests.differential;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A seeded static table beside a {@link BidInput}: one row per auction id of the bids' range
 * (1000 .. 1063), except that some ids are missing, some appear two or three times (one-to-many
 * joins), and some rows have a NULL id (which never matches) or NULL seller/reserve.
 */
final class ItemTable {
  static final String COLUMNS = "id BIGINT, channel VARCHAR, category VARCHAR, seller BIGINT, reserve BIGINT";
  private static final String[] CHANNELS = {"Google", "Facebook", "Baidu", "Apple", "bing", "Bing Ads", ""};

  final Path path;
  final int rows;

  private ItemTable(Path path, int rows) {
    this.path = path;
    this.rows = rows;
  }

  static ItemTable generate(long seed, Path dir) throws IOException {
    Random rnd = new Random(seed * 31 + 7);
    Path path = dir.resolve("items-" + seed + ".csv");
    int rows = 0;
    try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (int id = 1000; id < 1064; id++) {
        int copies = rnd.nextInt(100) < 25 ? 0 : rnd.nextInt(100) < 80 ? 1 : 2 + rnd.nextInt(2);
        for (int c = 0; c < copies; c++) {
          out.write(line(rnd, Integer.toString(id)));
          rows++;
        }
        if (rnd.nextInt(20) == 0) {
          out.write(line(rnd, ""));
          rows++;
        }
      }
    }
    return new ItemTable(path, rows);
  }

  private static String line(Random rnd, String id) {
    String seller = rnd.nextInt(10) == 0 ? "" : Integer.toString(1 + rnd.nextInt(12));
    String reserve = rnd.nextInt(10) == 0 ? "" : Long.toString(Math.round(Math.pow(10, rnd.nextDouble() * 5)));
    return id + "," + CHANNELS[rnd.nextInt(CHANNELS.length)] + ",c" + rnd.nextInt(6) + "," + seller + ","
        + reserve + "\n";
  }
}
