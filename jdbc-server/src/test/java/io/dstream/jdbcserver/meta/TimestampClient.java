package io.dstream.jdbcserver.meta;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.TimeZone;

/** A JDBC client run in its own JVM (and time zone) by {@link TimestampClientTest}. */
public final class TimestampClient {
  private TimestampClient() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection(args[0]);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT TYPES")) {
      rs.next();
      Timestamp local = rs.getTimestamp("ts");
      Timestamp utc = rs.getTimestamp("ts", Calendar.getInstance(TimeZone.getTimeZone("UTC")));
      System.out.println("zone=" + TimeZone.getDefault().getID());
      System.out.println("string=" + rs.getString("ts"));
      System.out.println("local=" + local.toLocalDateTime());
      System.out.println("object=" + rs.getObject("ts"));
      System.out.println("instant=" + utc.getTime());
      System.out.println("date=" + rs.getDate("dt").toLocalDate() + " " + rs.getString("dt"));
      System.out.println("time=" + rs.getTime("tm").toLocalTime() + " " + rs.getString("tm"));
    }
  }
}
