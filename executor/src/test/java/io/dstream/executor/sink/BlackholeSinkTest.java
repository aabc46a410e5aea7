package io.dstream.executor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlackholeSinkTest {
  private static final RowType TYPE = RowType.of(new Column("n", DataType.of(DataType.Kind.BIGINT)));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void countsRowsOncePerBatchId() {
    BlackholeSinkFactory factory = new BlackholeSinkFactory();
    BlackholeSinkFactory.BlackholeSink sink = factory.create("Out", TYPE, Map.of());
    try (ColumnBatch three = rows(3); ColumnBatch two = rows(2)) {
      sink.commit(0, three);
      sink.commit(1, two);
      sink.commit(1, two);
    }
    sink.finish();
    assertThat(sink.rows()).isEqualTo(5);
    assertThat(sink.batches()).isEqualTo(2);
    assertThat(sink.finished()).isTrue();
    assertThat(factory.sink("out")).containsSame(sink);
  }

  @Test
  void registryListsSinkConnectors() {
    SinkRegistry registry = SinkRegistry.defaults();
    assertThat(registry.connectors()).containsExactly("blackhole", "csv");
    assertThat(registry.factory("CSV")).isInstanceOf(CsvSinkFactory.class);
    assertThatThrownBy(() -> registry.factory("kafka"))
        .isInstanceOf(EngineException.class)
        .hasMessage("Unknown connector 'kafka'; available: blackhole, csv")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> new BlackholeSinkFactory().validate("out", TYPE, Map.of("x", "1")))
        .hasMessageContaining("no options");
  }

  private ColumnBatch rows(int count) {
    try (BatchBuilder builder = new BatchBuilder(TYPE, allocator)) {
      for (int i = 0; i < count; i++) {
        builder.setLong(0, i);
        builder.endRow();
      }
      return builder.build();
    }
  }
}
