package dev.chatengine.demo;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM settings the demo needs, applied by the running JVM to itself, so that a plain
 * {@code java -jar chat-demo.jar} gets them without a flag or a relaunch (a relaunched child would
 * also not be the process a user or a benchmark watches). Only manageable flags can be set this way;
 * a value the user set on the command line is always kept.
 *
 * <p>Why: each WebSocket handshake leaves ~25 KB of garbage (HttpServer's request parsing), which
 * stays resident in G1's large young generation until a collection happens, and an idle server never
 * collects. With 5,000 idle connections that garbage was about half the RSS per connection
 * ({@code ../shared/bench/compare}'s idle scenario: 32.8 KiB with default flags, 17.6-18.5 KiB with
 * these three). So:
 * <ul>
 *   <li>{@code G1PeriodicGCInterval} = {@value #PERIODIC_GC_INTERVAL_MILLIS} ms: a collection after a
 *       second without one. Under load collections happen anyway and the timer never fires; an idle
 *       server pays one short concurrent cycle per second (a few ms with ~100 MB live).</li>
 *   <li>{@code MinHeapFreeRatio} = {@value #MIN_HEAP_FREE_PERCENT} and {@code MaxHeapFreeRatio} =
 *       {@value #MAX_HEAP_FREE_PERCENT}: at the end of that cycle G1 gives back committed heap beyond
 *       15% free (the default keeps up to 70% free, i.e. three times the live data resident). The heap
 *       grows again as soon as load needs it.</li>
 * </ul>
 */
final class JvmTuning {

    static final String PERIODIC_GC_INTERVAL = "G1PeriodicGCInterval";
    static final long PERIODIC_GC_INTERVAL_MILLIS = 1_000;
    static final String MIN_HEAP_FREE_RATIO = "MinHeapFreeRatio";
    static final int MIN_HEAP_FREE_PERCENT = 5;
    static final String MAX_HEAP_FREE_RATIO = "MaxHeapFreeRatio";
    static final int MAX_HEAP_FREE_PERCENT = 15;

    private static final System.Logger LOG = System.getLogger(JvmTuning.class.getName());

    private JvmTuning() {
    }

    /** Applies the settings where the JVM allows it; returns the flags applied, for the log and for tests. */
    static List<String> apply() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1"));
        List<String> applied = new ArrayList<>();
        if (hotSpot == null || !g1) {
            return applied; // another JVM or collector: these settings mean nothing there
        }
        setIfDefault(hotSpot, PERIODIC_GC_INTERVAL, Long.toString(PERIODIC_GC_INTERVAL_MILLIS), applied);
        // Min before max: the JVM refuses a max below the current min (40 by default).
        if (isDefault(hotSpot, MIN_HEAP_FREE_RATIO) && isDefault(hotSpot, MAX_HEAP_FREE_RATIO)) {
            setIfDefault(hotSpot, MIN_HEAP_FREE_RATIO, Integer.toString(MIN_HEAP_FREE_PERCENT), applied);
            setIfDefault(hotSpot, MAX_HEAP_FREE_RATIO, Integer.toString(MAX_HEAP_FREE_PERCENT), applied);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "applied " + applied);
        return applied;
    }

    private static boolean isDefault(HotSpotDiagnosticMXBean hotSpot, String flag) {
        try {
            VMOption option = hotSpot.getVMOption(flag);
            return option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable();
        } catch (IllegalArgumentException gone) {
            return false;
        }
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean hotSpot, String flag, String value, List<String> applied) {
        if (isDefault(hotSpot, flag)) {
            hotSpot.setVMOption(flag, value);
            applied.add("-XX:" + flag + "=" + value);
        }
    }
}
