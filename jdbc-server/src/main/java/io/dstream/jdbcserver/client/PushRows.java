package io.dstream.jdbcserver.client;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;

/**
 * The rows of a result whose first frame is not its last, fetched frame by frame without
 * reading ahead. Avatica's own fetch iterator fetches the row after the one it returns, so
 * {@code ResultSet.next()} on a push query returned a batch's last row only once the next batch
 * produced one; here {@code next()} returns every row as soon as the server has sent it, and
 * waits (fetch after fetch) only when the client asks for a row that is not there yet.
 */
final class PushRows implements Iterable<Object> {
  private final Meta remote;
  private final StatementHandle handle;
  private final Frame first;
  private final int fetchSize;

  PushRows(Meta remote, StatementHandle handle, Frame first, int fetchSize) {
    this.remote = requireNonNull(remote, "remote is null");
    this.handle = requireNonNull(handle, "handle is null");
    this.first = first == null ? Frame.MORE : first;
    this.fetchSize = fetchSize;
  }

  @Override
  public Iterator<Object> iterator() {
    return new Iterator<>() {
      private Frame frame = first;
      private Iterator<Object> rows = first.rows.iterator();
      private long offset = first.offset;

      @Override
      public boolean hasNext() {
        while (!rows.hasNext()) {
          if (frame.done) {
            return false;
          }
          try {
            frame = remote.fetch(handle, offset, fetchSize);
          } catch (NoSuchStatementException | MissingResultsException e) {
            throw new IllegalStateException("The server no longer has this statement's results (was the"
                + " connection idle too long, or the server restarted?): " + e.getMessage(), e);
          }
          rows = frame.rows.iterator();
        }
        return true;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        offset++;
        return rows.next();
      }
    };
  }
}
