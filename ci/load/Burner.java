import java.util.ArrayList;
import java.util.List;

/**
 * Keeps N threads busy on pure arithmetic until it is killed, so that a build run beside it gets
 * only a share of the CPU. Run as a single source file: {@code java ci/load/Burner.java 4}.
 * A JDK is all it needs (stress-ng would do the same where it is installed).
 */
public final class Burner {
    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(Burner::burn, "burner-" + i);
            t.setDaemon(true);
            t.start();
            burners.add(t);
        }
        System.out.println("burner: " + threads + " busy threads");
        for (Thread t : burners) {
            t.join();
        }
    }

    private static volatile long sink;

    private static void burn() {
        long x = Thread.currentThread().getId();
        while (true) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }
    }
}
