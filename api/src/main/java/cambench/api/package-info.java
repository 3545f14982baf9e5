/**
 * The published plugin API (artifact {@code cambench:cambench-api}, depending on DJL's
 * {@code ai.djl:api} only): what a loss or distiller sees and how it is registered.
 *
 * <h2>Writing an objective</h2>
 * <ol>
 *   <li>Implement {@link cambench.api.Objective}: {@code terms(StepOutputs)} returns the step's
 *       named, weighted scalar terms ({@link cambench.api.LossTerms}); the trainer minimises their
 *       sum and logs each. {@link cambench.api.StepOutputs} holds f [N, C, H, W], z [N, C],
 *       s [N, K], W [K, C], b [K], y [N], the stages, the {@link cambench.api.Progress} of
 *       training and, for distillers, the teacher's outputs. {@link cambench.api.CrossEntropy}
 *       and {@link cambench.api.CamMaps} hold the shared pieces.</li>
 *   <li>Register it once: a public nested {@code Provider extends ObjectiveProvider} whose
 *       no-argument constructor passes name, {@link cambench.api.ObjectiveProvider.Kind kind},
 *       description, {@link cambench.api.ParamSpec parameters} and factory to
 *       {@code super(...)} (see {@link cambench.api.ObjectiveProvider}). Nothing else states the
 *       name or whether a teacher is needed.</li>
 *   <li>Name the provider class on one line of
 *       {@code META-INF/services/cambench.api.ObjectiveProvider}.</li>
 *   <li>Build a jar against {@code cambench-api} (scope {@code provided}) and pass it with
 *       {@code --plugins}; {@code examples/focal-loss} in the repository is a complete one.</li>
 * </ol>
 *
 * <h2>Parameters</h2>
 * Every number that moves a result is a parameter with a default. Overrides are merged into the
 * defaults once, when a plan is made ({@link cambench.api.Objectives#resolve}); the factory reads
 * the frozen {@link cambench.api.Params} through its checking accessors ({@code atLeast},
 * {@code integer}, {@code flag}, ...), so a bad value fails with a one-line
 * {@link cambench.api.UserException} naming {@code objective.key} before training starts.
 *
 * <h2>Arrays and their lifetimes</h2>
 * <ul>
 *   <li>The factory gets {@link cambench.api.ObjectiveContext#manager()}, a manager of the
 *       objective's own. Arrays made from it there (state such as center-loss centres, constants)
 *       live until the run ends.</li>
 *   <li>A step's arrays (everything in {@code StepOutputs} and the results of ops on them) are
 *       freed when the step ends: never keep them in a field.</li>
 *   <li>Results of ops called on the objective's own arrays are left in its manager and freed
 *       after every step, except the arrays {@link cambench.api.Objective#state()} lists. Update
 *       long-lived arrays in place, or list the replacement in {@code state()}; {@code state()}
 *       arrays are also checkpointed and restored.</li>
 * </ul>
 */
package cambench.api;
