package io.dstream.sqltests.functions;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/** Decimal and timestamp parameters: with_tax(price, rate) and next_minute(time). */
public final class TimeAndMoney {
  private TimeAndMoney() {}

  public static BigDecimal eval(BigDecimal price, BigDecimal rate) {
    return price == null || rate == null ? null : price.multiply(BigDecimal.ONE.add(rate));
  }

  public static LocalDateTime eval(LocalDateTime time) {
    return time == null ? null : time.withSecond(0).withNano(0).plusMinutes(1);
  }
}
