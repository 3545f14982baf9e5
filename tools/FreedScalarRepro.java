import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Smallest reproducer of the DJL 0.33 hazard behind cambench's rare training blow-ups (no cambench
 * code involved). {@code a.mul(3f)} makes the 3 a tensor over a Java direct buffer (from_blob, no copy)
 * and closes its Java wrapper at once; autograd keeps that tensor to compute the gradient of {@code a}.
 * After a garbage collection frees the buffer and malloc hands its memory out again, the backward
 * pass reads whatever was written there: the gradient should be 3, and is not.
 *
 * <pre>
 * ./cambench list models >/dev/null    # builds app/target/classpath.txt on first use
 * java -Dai.djl.offline=true -DDJL_CACHE_DIR=.cache/djl -cp "$(cat app/target/classpath.txt)" \
 *     tools/FreedScalarRepro.java 20
 * </pre>
 * prints each wrong gradient and how many of the N backward passes read freed memory (on
 * the machine that found it: 19 and 20 of 20). cambench avoids the overloads ({@code cambench.api.Scalars}).
 */
public final class FreedScalarRepro {
    public static void main(String[] args) throws InterruptedException {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Engine engine = Engine.getEngine("PyTorch");
        int wrong = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.ones(new Shape(4));
            a.setRequiresGradient(true);
            for (int t = 0; t < trials; t++) {
                try (NDManager step = manager.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
                    NDArray y = a.mul(3f);
                    System.gc();           // the 3's buffer is unreachable: let the collector free it
                    Thread.sleep(20);
                    List<ByteBuffer> reuse = new ArrayList<>();
                    for (int k = 0; k < 2000; k++) { // take freed small blocks and write 1e30 into them
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        b.putFloat(0, 1e30f);
                        reuse.add(b);
                    }
                    collector.backward(y.sum());
                    float[] g = a.getGradient().toFloatArray();
                    if (g[0] != 3f) {
                        wrong++;
                        System.out.println("pass " + t + ": gradient " + Arrays.toString(g) + ", expected 3");
                    }
                    a.getGradient().subi(a.getGradient());
                }
            }
        }
        System.out.println(wrong + " of " + trials + " backward passes read freed memory");
    }
}
