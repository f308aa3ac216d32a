package dev.chatengine.demo;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's self-applied JVM setting, in this JVM and in a child JVM where the user chose a value. */
class JvmTuningTest {

    @Test
    void setsThePeriodicCollectionIntervalOnG1WhenTheUserDidNot() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1"));
        String before = hotSpot.getVMOption(JvmTuning.PERIODIC_GC_INTERVAL).getValue();
        var applied = JvmTuning.apply();
        if (g1 && before.equals("0")) {
            assertThat(applied).contains("-XX:G1PeriodicGCInterval=1000");
            assertThat(hotSpot.getVMOption(JvmTuning.PERIODIC_GC_INTERVAL).getValue()).isEqualTo("1000");
            assertThat(hotSpot.getVMOption(JvmTuning.MAX_HEAP_FREE_RATIO).getValue()).isEqualTo("15");
            assertThat(hotSpot.getVMOption(JvmTuning.MIN_HEAP_FREE_RATIO).getValue()).isEqualTo("5");
        } else {
            assertThat(hotSpot.getVMOption(JvmTuning.PERIODIC_GC_INTERVAL).getValue()).isEqualTo(before);
        }
    }

    @Test
    void keepsTheValueTheUserChoseOnTheCommandLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:G1PeriodicGCInterval=12345", "-XX:MaxHeapFreeRatio=50", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).contains("applied=[]", "interval=12345", "max=50");
    }

    /** Runs in the child JVM. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("applied=" + JvmTuning.apply());
            System.out.println("interval=" + ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(JvmTuning.PERIODIC_GC_INTERVAL).getValue());
            System.out.println("max=" + ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(JvmTuning.MAX_HEAP_FREE_RATIO).getValue());
        }
    }
}
