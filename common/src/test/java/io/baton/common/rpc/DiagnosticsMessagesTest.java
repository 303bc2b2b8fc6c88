package io.baton.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogFileInfo;
import io.baton.common.diagnostics.LogListing;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.LogTail;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiagnosticsMessagesTest {

  @Test
  void logListingsReadsAndResultsCrossTheWireUnchanged() {
    LogListing listing = new LogListing(true, List.of(new LogFileInfo("tm.log", 12, 34)));
    assertThat(DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(listing)))
        .isEqualTo(listing);
    for (LogRead read :
        List.of(LogRead.log(5), LogRead.stdout(6), LogRead.named("tm.log.1", 1 << 20))) {
      assertThat(DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(read))).isEqualTo(read);
    }
    LogReadResult found =
        new LogReadResult(true, Optional.of(new LogTail("tm.log", "line\n".getBytes())));
    LogReadResult back = DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(found));
    assertThat(back.tail().orElseThrow().bytes()).isEqualTo("line\n".getBytes());
    LogReadResult none = new LogReadResult(false, Optional.empty());
    assertThat(DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(none))).isEqualTo(none);
  }

  @Test
  void threadDumpsAndProcessFiguresCrossTheWireUnchanged() {
    ThreadDump dump = ThreadDump.ofThisJvm();
    assertThat(DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(dump))).isEqualTo(dump);
    ProcessFigures figures = new ProcessFigures(JvmFigures.ofThisJvm(), 9249);
    assertThat(DiagnosticsMessages.fromProto(DiagnosticsMessages.toProto(figures)))
        .isEqualTo(figures);
  }

  @Test
  void aReadNamingNoKindOfFileIsRefusedInOneLine() {
    assertThatThrownBy(() -> DiagnosticsMessages.fromProto(ReadLogRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ReadLog names no file kind (0)");
  }
}
