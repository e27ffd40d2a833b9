package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.BatchNormLeNet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link TrainingUi#record} stores: the model tab's histograms only when asked. */
class TrainingUiRecordingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void histogramsAreRecordedOnlyWhenAsked(boolean histograms) throws Exception {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        try (TrainingUi.Recording recording = TrainingUi.record(dir, 1, histograms)) {
            model.setListeners(recording.listener());
            model.fit(SyntheticData.iterator(SyntheticData.images(64, 1), 32, 0));
            StatsStorage storage = recording.storage();
            String session = storage.listSessionIDs().get(0);
            String worker = storage.listWorkerIDsForSession(session).get(0);
            List<Persistable> updates = storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0);
            assertThat(updates).hasSize(2); // one per iteration
            for (Persistable update : updates) {
                StatsReport report = (StatsReport) update;
                assertThat(report.getScore()).isFinite();
                for (StatsType type : List.of(StatsType.Parameters, StatsType.Gradients, StatsType.Updates)) {
                    Map<String, Histogram> recorded = report.getHistograms(type);
                    if (histograms) {
                        assertThat(recorded).as(type.name()).containsKey("output_W");
                        assertThat(recorded.get("output_W").getBinCounts()).isNotEmpty();
                    } else {
                        assertThat(recorded).as(type.name()).isNullOrEmpty();
                    }
                }
            }
        }
    }
}
