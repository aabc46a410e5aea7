package io.dstream.sqltests.differential;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * A seeded, bounded, bid-like csv input (header-less, in the column order of {@link #COLUMNS}).
 *
 * <p>Event times increase with the file, except that about a third of the rows are moved back by
 * up to {@link #MAX_JITTER_MILLIS}, less than the watermark delay {@link #DELAY_SECONDS}: since
 * the watermark after a batch is at most (the latest base time seen) - delay, no row is ever late
 * and the streaming result must equal the batch result over the whole file. The input has
 * duplicate keys and whole duplicate rows, NULL prices (empty fields), empty strings in
 * channel/extra (the engine's csv source reads an empty VARCHAR field as '' and never as NULL),
 * negative and zero prices, quoted fields with commas and quotes, non-ASCII text (also outside the
 * BMP), times on whole seconds (window bounds), gaps in time longer than any window (empty
 * windows), and for some seeds times before and after the epoch (1970-01-01).
 */
final class BidInput {
  static final String COLUMNS = "auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
      + " date_time TIMESTAMP(3), extra VARCHAR";
  static final int DELAY_SECONDS = 4;
  static final int MAX_JITTER_MILLIS = 3900;
  private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  /** Some inputs cross the epoch: window assignment must floor negative times, not truncate. */
  private static final long BEFORE_EPOCH = Instant.parse("1969-12-31T23:58:30Z").toEpochMilli();
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String[] CHANNELS = {"Google", "Facebook", "Baidu", "Apple", "bing", "Bing Ads", ""};
  private static final String[] EXTRA_PIECES = {"a", "b", "x", "yz", "Q", " ", ",", "\"", "é", "ß", "中", "😀", "B", "￡", "A", "_", "%"};
  private static final long[] BATCH_BYTES = {4096, 16384, 65536, 16L << 20};

  final long seed;
  final Path path;
  final int rows;
  final long batchBytes;

  private BidInput(long seed, Path path, int rows, long batchBytes) {
    this.seed = seed;
    this.path = path;
    this.rows = rows;
    this.batchBytes = batchBytes;
  }

  /** Writes the input of {@code seed} to {@code dir}; {@code maxRows} bounds its size. */
  static BidInput generate(long seed, Path dir, int maxRows) throws IOException {
    return write(seed, dir, maxRows, false, false);
  }

  /**
   * A second input for joins and unions with the input of {@code seed}: about 60% of its rows,
   * at the same times shifted by one constant of up to 3 s (so its disorder, and the absence of
   * late rows, is the same), with the same auction and bidder (sometimes another auction) and
   * other prices, channels and extras.
   */
  static BidInput companion(long seed, Path dir, int maxRows) throws IOException {
    return write(seed, dir, maxRows, true, false);
  }

  /**
   * The input of {@code seed}, but when {@code withinDelay} no row is moved back to a whole second
   * that is more than {@link #MAX_JITTER_MILLIS} behind: every row is after the watermark at the
   * start of its batch, as deduplication needs for none to be late (windows only need the row's
   * window open).
   */
  static BidInput generate(long seed, Path dir, int maxRows, boolean withinDelay) throws IOException {
    return write(seed, dir, maxRows, false, withinDelay);
  }

  private static BidInput write(long seed, Path dir, int maxRows, boolean companion, boolean withinDelay)
      throws IOException {
    Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 17);
    Random other = new Random(seed * 7919 + 3);
    long shift = other.nextInt(6001) - 3000;
    int n = 200 + rnd.nextInt(Math.max(1, maxRows - 200));
    int meanStepMillis = 5 + rnd.nextInt(150);
    int auctions = 3 + rnd.nextInt(60);
    long batchBytes = BATCH_BYTES[rnd.nextInt(BATCH_BYTES.length)];
    long base = rnd.nextInt(5) == 0 ? BEFORE_EPOCH + rnd.nextInt(30_000) : START + rnd.nextInt(120_000);
    Path path = dir.resolve("bids-" + seed + (companion ? "-b" : "") + (withinDelay ? "-strict" : "") + ".csv");
    int written = 0;
    try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        if (rnd.nextInt(100) == 0) {
          base += 15_000 + rnd.nextInt(90_000); // a gap: empty windows
        } else {
          base += rnd.nextInt(2 * meanStepMillis + 1);
        }
        long time = rnd.nextInt(3) == 0 ? base - rnd.nextInt(MAX_JITTER_MILLIS + 1) : base;
        if (rnd.nextInt(8) == 0) {
          long floored = time - Math.floorMod(time, 1000); // on a whole second: on window bounds (ends are exclusive)
          time = withinDelay && base - floored > MAX_JITTER_MILLIS ? time : floored;
        }
        long auction = 1000 + rnd.nextInt(auctions);
        long bidder = 1 + rnd.nextInt(40);
        String price;
        int p = rnd.nextInt(100);
        if (p < 6) {
          price = "";
        } else if (p < 8) {
          price = Long.toString(-rnd.nextInt(2000));
        } else if (p < 10) {
          price = "0";
        } else {
          price = Long.toString(Math.round(Math.pow(10, rnd.nextDouble() * 6)));
        }
        String channel = CHANNELS[rnd.nextInt(CHANNELS.length)];
        String url = "https://www.nexmark.com/" + channel.toLowerCase().replace(' ', '_')
            + "/item.htm?query=1&channel_id=" + rnd.nextInt(1 << 20);
        StringBuilder extra = new StringBuilder();
        if (rnd.nextInt(10) != 0) {
          int len = rnd.nextInt(12);
          for (int k = 0; k < len; k++) {
            extra.append(rnd.nextInt(4) == 0 ? EXTRA_PIECES[rnd.nextInt(EXTRA_PIECES.length)]
                : String.valueOf((char) ('a' + rnd.nextInt(26))));
          }
        }
        boolean duplicate = rnd.nextInt(30) == 0;
        if (companion) {
          // All draws from rnd happen as for the first input, so both share their times.
          if (other.nextInt(10) < 4) {
            continue;
          }
          time += shift;
          if (other.nextInt(8) == 0) {
            auction = 1000 + other.nextInt(auctions);
          }
          price = other.nextInt(10) == 0 ? "" : Long.toString(1 + other.nextInt(100_000));
          channel = CHANNELS[other.nextInt(CHANNELS.length)];
          extra.setLength(0);
          extra.append((char) ('a' + other.nextInt(26)));
        }
        String line = auction + "," + bidder + "," + price + "," + channel + "," + url + ","
            + FORMAT.format(Instant.ofEpochMilli(time)) + "," + quote(extra.toString()) + "\n";
        out.write(line);
        written++;
        if (duplicate) {
          out.write(line); // a duplicate row
          written++;
        }
      }
    }
    return new BidInput(seed, path, written, batchBytes);
  }

  private static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return "seed " + seed + " (" + rows + " rows, batch.bytes " + batchBytes + ", " + path + ")";
  }
}
