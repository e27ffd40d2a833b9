package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** {@link LearningRates} against the rates PyTorch's schedulers give (tools/make_schedule_fixtures.py). */
class LearningRatesTest {

    /** Every case of the fixture: its rates by minibatch. */
    private static Map<LearningRates, List<Double>> fixture() throws IOException {
        Map<LearningRates, List<Double>> cases = new LinkedHashMap<>();
        try (InputStream in = LearningRatesTest.class.getResourceAsStream("/fixtures/torch-learning-rates.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            for (String line : lines) {
                String[] f = line.split(",");
                LearningRates rates = new LearningRates(Schedule.Shape.valueOf(f[0].toUpperCase().replace('-', '_')),
                        Double.parseDouble(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                cases.computeIfAbsent(rates, r -> new java.util.ArrayList<>()).add(Double.parseDouble(f[5]));
            }
        }
        return cases;
    }

    @Test
    void everyMinibatchGetsPyTorchsRate() throws IOException {
        Map<LearningRates, List<Double>> cases = fixture();
        assertThat(cases).hasSize(8);
        cases.forEach((rates, expected) -> {
            assertThat(expected).hasSize(rates.totalIterations());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(rates.valueAt(i, 0)).as("%s at minibatch %d", rates, i)
                        .isCloseTo(expected.get(i), Offset.offset(1e-12 + 1e-9 * expected.get(i)));
            }
            // beyond the run (a resumed run given more epochs would be refused): the last rate
            assertThat(rates.valueAt(rates.totalIterations() + 5, 0))
                    .isEqualTo(rates.valueAt(rates.totalIterations() - 1, 0));
        });
    }

    @Test
    void aScheduleBecomesRatesForTheRunsLength() {
        assertThat(new Schedule(Schedule.Shape.COSINE, 1).rates(0.1, 196, 10))
                .isEqualTo(new LearningRates(Schedule.Shape.COSINE, 0.1, 1960, 196));
        assertThat(new Schedule(Schedule.Shape.COSINE, 1)).hasToString("cosine, 1 warm-up epoch");
        assertThat(Schedule.Shape.byId("one-cycle")).isEqualTo(Schedule.Shape.ONE_CYCLE);
        assertThatThrownBy(() -> Schedule.Shape.byId("linear"))
                .hasMessage("unknown schedule 'linear'; expected one of constant, step, cosine, one-cycle");
        assertThatThrownBy(() -> new Schedule(Schedule.Shape.STEP, 3).rates(0.1, 10, 3))
                .hasMessageContaining("a warm-up of 3 epochs leaves nothing of a 3-epoch run");
    }
}
