package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mixing at a stage boundary (what Manifold Mixup asks of a network), on both backbone families
 * (CifarResNet and the staged ones): boundary 0 is the same as mixing the images; boundary s mixes
 * the output of stage s, which flows on mixed; no mix changes nothing. Eval mode, so that every
 * image's outputs depend on that image alone.
 */
@Tag("engine")
class StageMixTest {
    private static final long[] PARTNERS = {2, 0, 3, 1};
    private static final float LAMBDA = 0.3f;
    private NDManager manager;

    @BeforeEach
    void open() {
        EngineSetup.start(1);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray mixed(NDArray h) {
        return h.mul(LAMBDA).add(h.get(new NDIndex("{}", manager.create(PARTNERS))).mul(1 - LAMBDA));
    }

    private Backbone.StageMix at(int boundary) {
        return (b, h) -> b == boundary ? mixed(h) : h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet8", "wrn_16_1"})
    void stageMix_mixesTheStateAtItsBoundaryOnly(String model) {
        try (Network net = Models.create(model, new ModelSpec(3, 16, 5, 0), 3, manager)) {
            assertEquals(3, net.backbone().stageCount());
            NDArray x = manager.randomNormal(new Shape(4, 3, 16, 16));
            NetworkOutput plain = net.forward(x, false);
            assertArrayEquals(plain.logits().toFloatArray(),
                    net.forward(x, false, Backbone.StageMix.NONE).logits().toFloatArray(), "no mix, same logits");

            NetworkOutput inputMixed = net.forward(x, false, at(0));
            assertArrayEquals(net.forward(mixed(x), false).logits().toFloatArray(),
                    inputMixed.logits().toFloatArray(), 1e-5f, "boundary 0 is mixing the images");

            for (int s = 1; s <= 3; s++) {
                NetworkOutput o = net.forward(x, false, at(s));
                for (int t = 0; t < s - 1; t++) {
                    assertArrayEquals(plain.stages().get(t).toFloatArray(), o.stages().get(t).toFloatArray(),
                            1e-6f, "stage " + (t + 1) + " before the boundary is untouched");
                }
                assertArrayEquals(mixed(plain.stages().get(s - 1)).toFloatArray(),
                        o.stages().get(s - 1).toFloatArray(), 1e-5f, "stage " + s + " output mixed");
            }
            // the deepest boundary mixes the last stage; the logits of a linear head on its average are mixed too
            // when the tail is the identity (resnet8) – wrn's final BN+ReLU is not linear, so only check resnet8
            if (model.equals("resnet8")) {
                assertArrayEquals(mixed(plain.logits()).toFloatArray(),
                        net.forward(x, false, at(3)).logits().toFloatArray(), 1e-4f);
            }
        }
    }
}
