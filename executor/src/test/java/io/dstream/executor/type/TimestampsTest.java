package io.dstream.executor.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  @Test
  void parsesAndFormatsTheEpoch() {
    assertThat(Timestamps.parseMillis("1970-01-01 00:00:00")).isZero();
    assertThat(Timestamps.format(0)).isEqualTo("1970-01-01 00:00:00.000");
  }

  @Test
  void parsesFractionsOfZeroToThreeDigitsAndTheTSeparator() {
    long base = Timestamps.parseMillis("2026-01-01 00:00:01");
    assertThat(Timestamps.parseMillis("2026-01-01 00:00:01.")).isEqualTo(base);
    assertThat(Timestamps.parseMillis("2026-01-01 00:00:01.5")).isEqualTo(base + 500);
    assertThat(Timestamps.parseMillis("2026-01-01 00:00:01.25")).isEqualTo(base + 250);
    assertThat(Timestamps.parseMillis("2026-01-01T00:00:01.123")).isEqualTo(base + 123);
    assertThat(Timestamps.parseMillis("2026-01-01 00:00:01.123456")).isEqualTo(base + 123);
    assertThat(base).isEqualTo(Instant.parse("2026-01-01T00:00:01Z").toEpochMilli());
  }

  @Test
  void parsesFromAByteRange() {
    byte[] line = "x,2024-02-29 23:59:59.999,y".getBytes(StandardCharsets.US_ASCII);
    assertThat(Timestamps.parseMillis(line, 2, 25))
        .isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli());
  }

  @Test
  void roundTripsAgainstJavaTimeIncludingLeapYearsAndPre1970() {
    SplittableRandom random = new SplittableRandom(7);
    long min = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(min, max);
      String expected = FORMAT.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
      assertThat(Timestamps.format(millis)).isEqualTo(expected);
      assertThat(Timestamps.parseMillis(expected)).isEqualTo(millis);
    }
  }

  @Test
  void handlesLeapDaysAndCenturies() {
    assertThat(Timestamps.parseMillis("2000-02-29 12:00:00"))
        .isEqualTo(Instant.parse("2000-02-29T12:00:00Z").toEpochMilli());
    assertThat(Timestamps.parseMillis("1904-02-29 00:00:00.001"))
        .isEqualTo(Instant.parse("1904-02-29T00:00:00.001Z").toEpochMilli());
    assertThat(Timestamps.format(-1)).isEqualTo("1969-12-31 23:59:59.999");
    assertThatThrownBy(() -> Timestamps.parseMillis("1900-02-29 00:00:00"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1900-02-29");
    assertThatThrownBy(() -> Timestamps.parseMillis("2023-02-29 00:00:00"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void datesRoundTrip() {
    for (long day = -719_162; day <= 2_932_896; day += 97) {
      String expected = LocalDate.ofEpochDay(day).toString();
      assertThat(Timestamps.formatDate(day)).isEqualTo(expected);
      assertThat(Timestamps.parseDate(expected)).isEqualTo(day);
    }
    assertThat(Timestamps.parseDate("1969-12-31")).isEqualTo(-1);
  }

  @Test
  void timesRoundTrip() {
    assertThat(Timestamps.parseTime("13:45:07.250")).isEqualTo(49_507_250L);
    assertThat(Timestamps.formatTime(49_507_250L)).isEqualTo("13:45:07.250");
    assertThat(Timestamps.parseTime("00:00:00")).isZero();
  }

  @Test
  void rejectsMalformedTextNamingIt() {
    for (String bad : new String[] {"", "2026-01-01 00:00", "2026-13-01 00:00:00", "2026-01-32 00:00:00",
        "2026-01-01 24:00:00", "2026-01-01 00:60:00", "2026-01-01 00:00:60", "2026/01/01 00:00:00",
        "2026-01-01 00:00:00.1234567890", "2026-01-01 00:00:00.12a", "2026-01-01X00:00:00",
        "abcd-01-01 00:00:00", "2026-01-01 00:00:00 "}) {
      assertThatThrownBy(() -> Timestamps.parseMillis(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> Timestamps.parseDate("2026-1-1")).isInstanceOf(IllegalArgumentException.class);
  }
}
