package cambench.results.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import org.junit.jupiter.api.Test;

class RecipeTest {
    @Test
    void cosine_startsAtLrAndHalvesMidway() {
        Recipe r = new Recipe(160, 128, 0.1, 0.9, false, 5e-4, "cosine", "none");
        assertEquals(0.1, r.lrAt(0), 1e-12);
        assertEquals(0.05, r.lrAt(80), 1e-12);
    }

    @Test
    void multistep_dropsTenfoldAtEachFraction() {
        Recipe r = new Recipe(100, 128, 0.1, 0.9, false, 5e-4, "multistep:0.5,0.75", "none");
        assertEquals(0.1, r.lrAt(49), 1e-12);
        assertEquals(0.01, r.lrAt(50), 1e-12);
        assertEquals(0.001, r.lrAt(75), 1e-12);
    }

    @Test
    void badValues_areUserErrorsNamingTheField() {
        UserException e = assertThrows(UserException.class,
                () -> new Recipe(0, 128, 0.1, 0.9, false, 0, "cosine", "none"));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
        e = assertThrows(UserException.class, () -> new Recipe(1, 128, 0.1, 0.9, false, 0, "linear", "none"));
        assertTrue(e.getMessage().contains("schedule"), e.getMessage());
    }

    @Test
    void multistep_epochMilestonesWithFactor_decayAtThoseEpochs() {
        // ISDA's WRN-28-10 script: x0.2 at epochs 60, 120, 160, 200 of 240
        Recipe r = new Recipe(240, 128, 0.1, 0.9, true, 5e-4, "multistep:60,120,160,200@0.2", "none");
        assertEquals(0.1, r.lrAt(59), 1e-12);
        assertEquals(0.02, r.lrAt(60), 1e-12);
        assertEquals(0.004, r.lrAt(120), 1e-12);
        assertEquals(0.1 * Math.pow(0.2, 4), r.lrAt(239), 1e-12);
    }

    @Test
    void multistep_outOfRangeMilestones_areUserErrors() {
        UserException e = assertThrows(UserException.class,
                () -> new Recipe(5, 128, 0.1, 0.9, false, 0, "multistep:80,120@0.1", "none"));
        assertTrue(e.getMessage().contains("milestone epoch 80"), e.getMessage());
        e = assertThrows(UserException.class,
                () -> new Recipe(100, 128, 0.1, 0.9, false, 0, "multistep:0.5,1.5", "none"));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        e = assertThrows(UserException.class,
                () -> new Recipe(100, 128, 0.1, 0.9, false, 0, "multistep:50,75@1.5", "none"));
        assertTrue(e.getMessage().contains("decay factor"), e.getMessage());
        e = assertThrows(UserException.class,
                () -> new Recipe(100, 128, 0.1, 0.9, false, 0, "multistep:75,50", "none"));
        assertTrue(e.getMessage().contains("decrease"), e.getMessage());
    }
}
