package cambench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one training step hands to an objective (docs/losses.md, notation). Built with
 * {@link #builder()}, which checks that the shapes fit together.
 *
 * @param features last post-activation feature map f [N, C, H, W]
 * @param pooled global average pool z [N, C]
 * @param logits s = z W^T + b [N, K]
 * @param weight classifier W [K, C] (in the autograd graph; use {@code stopGradient()} for sg(W))
 * @param bias classifier b [K], or null for bias-free heads
 * @param labels y [N], int64
 * @param stages stage outputs of the backbone, shallow to deep (may be empty)
 * @param progress where training is (epoch, iteration, past training accuracies)
 * @param teacher the teacher's outputs for distillers, else empty
 * @param mix the partner labels and lambda of a label-mixing regularizer (CutMix, Mixup), else
 *     empty; an objective sees a mix only in {@link Objective#mixedTerms}
 */
public record StepOutputs(
        NDArray features,
        NDArray pooled,
        NDArray logits,
        NDArray weight,
        NDArray bias,
        NDArray labels,
        List<NDArray> stages,
        Progress progress,
        Optional<TeacherOutputs> teacher,
        Optional<LabelMix> mix) {

    /** Outputs without a label mix. */
    public StepOutputs(NDArray features, NDArray pooled, NDArray logits, NDArray weight, NDArray bias,
            NDArray labels, List<NDArray> stages, Progress progress, Optional<TeacherOutputs> teacher) {
        this(features, pooled, logits, weight, bias, labels, stages, progress, teacher, Optional.empty());
    }

    /** The same outputs with labels {@code y} [N] and no label mix (one target of a mixed form). */
    public StepOutputs withLabels(NDArray y) {
        return new StepOutputs(features, pooled, logits, weight, bias, y, stages, progress, teacher, Optional.empty());
    }

    /** Number of classes K. */
    public int classes() {
        return Math.toIntExact(logits.getShape().get(1));
    }

    /** The labels one-hot [N, K], float32. */
    public NDArray oneHot() {
        return labels.oneHot(classes());
    }

    /** A builder: every {@code set} is required, every {@code opt} has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects one step's outputs by name; {@link #build()} checks them. */
    public static final class Builder {
        private NDArray features;
        private NDArray pooled;
        private NDArray logits;
        private NDArray weight;
        private NDArray bias;
        private NDArray labels;
        private Progress progress;
        private List<NDArray> stages = List.of();
        private Optional<TeacherOutputs> teacher = Optional.empty();
        private Optional<LabelMix> mix = Optional.empty();

        private Builder() {
        }

        /** The feature map f [N, C, H, W]. */
        public Builder setFeatures(NDArray f) {
            this.features = f;
            return this;
        }

        /** The pooled features z [N, C]. */
        public Builder setPooled(NDArray z) {
            this.pooled = z;
            return this;
        }

        /** The logits s [N, K]. */
        public Builder setLogits(NDArray s) {
            this.logits = s;
            return this;
        }

        /** The classifier: W [K, C] and b [K], or a null b for a bias-free head. */
        public Builder setClassifier(NDArray w, NDArray b) {
            this.weight = w;
            this.bias = b;
            return this;
        }

        /** The labels y [N], int64. */
        public Builder setLabels(NDArray y) {
            this.labels = y;
            return this;
        }

        /** Where training is ({@link Progress#steadyState()} outside training). */
        public Builder setProgress(Progress p) {
            this.progress = p;
            return this;
        }

        /** The backbone's stage outputs, shallow to deep (default: none). */
        public Builder optStages(List<NDArray> s) {
            this.stages = List.copyOf(s);
            return this;
        }

        /** The teacher's outputs (default: none). */
        public Builder optTeacher(Optional<TeacherOutputs> t) {
            this.teacher = Objects.requireNonNull(t, "teacher");
            return this;
        }

        /** The label mix of the step (default: none). */
        public Builder optMix(Optional<LabelMix> m) {
            this.mix = Objects.requireNonNull(m, "mix");
            return this;
        }

        /**
         * The step's outputs.
         *
         * @throws IllegalStateException when a required part is missing or the shapes disagree
         *     (N, C and K must match across f, z, s, W, b and y)
         */
        public StepOutputs build() {
            require(features, "features");
            require(pooled, "pooled");
            require(logits, "logits");
            require(weight, "weight");
            require(labels, "labels");
            require(progress, "progress");
            Shape f = features.getShape();
            Shape s = logits.getShape();
            check(f.dimension() == 4, "features must be [N, C, H, W], got " + f);
            long n = f.get(0);
            long c = f.get(1);
            check(s.dimension() == 2 && s.get(0) == n, "logits must be [N, K] with N = " + n + ", got " + s);
            long k = s.get(1);
            check(pooled.getShape().equals(new Shape(n, c)), "pooled must be [" + n + ", " + c + "], got "
                    + pooled.getShape());
            check(weight.getShape().equals(new Shape(k, c)), "weight must be [" + k + ", " + c + "], got "
                    + weight.getShape());
            check(bias == null || bias.getShape().equals(new Shape(k)), "bias must be [" + k + "], got "
                    + (bias == null ? null : bias.getShape()));
            check(labels.getShape().equals(new Shape(n)), "labels must be [" + n + "], got " + labels.getShape());
            mix.ifPresent(m -> check(m.partnerLabels().getShape().equals(new Shape(n)),
                    "mix partner labels must be [" + n + "], got " + m.partnerLabels().getShape()));
            return new StepOutputs(features, pooled, logits, weight, bias, labels, stages, progress, teacher, mix);
        }

        private static void require(Object value, String what) {
            check(value != null, what + " is not set");
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalStateException("StepOutputs: " + message);
            }
        }
    }
}
