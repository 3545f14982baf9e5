package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import org.junit.jupiter.api.Test;

/** The architecture registry and the name parsers; engine-free. */
class ModelsRegistryTest {

    @Test
    void factory_unknownName_throwsUserExceptionListingKnownNames() {
        UserException e = assertThrows(UserException.class, () -> Models.factory("resnet51"));
        for (String known : new String[] {"resnet50", "resnet56", "wrn_28_10", "conv4", "densenet_bc_190_40",
                "pyramidnet200_240", "resnext29_8x64d", "mobilenetv2", "vgg13"}) {
            assertTrue(e.getMessage().contains(known), known + " missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("resnet51"));
    }

    @Test
    void parse_wrnName_acceptsValidDepthsOnly() {
        assertTrue(WideResNet.parse("wrn_22_8").isPresent());
        assertTrue(WideResNet.parse("wrn_10_1").isPresent());
        assertFalse(WideResNet.parse("wrn_27_2").isPresent());
        assertFalse(WideResNet.parse("wrn_28_0").isPresent());
        assertFalse(WideResNet.parse("wrn_28").isPresent());
        assertFalse(WideResNet.parse("resnet56").isPresent());
    }

    @Test
    void config_basicBlockWithGroups_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ResNet.Config(false, false, new int[] {1, 1, 1}, 16, 32, 4));
    }
}
