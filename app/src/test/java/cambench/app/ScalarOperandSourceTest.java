package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * No source of cambench (nor the example plugin) calls DJL's {@code Number} overloads whose operand
 * autograd keeps for the backward pass ({@code x.mul(0.5f)}, {@code x.div(t)}, ...): those operands
 * live in Java memory that may be freed before the backward pass reads it. {@link cambench.api.Scalars}
 * is the replacement. The sources are compiled with javac's tree API and every call is resolved, so
 * the check sees the overload actually chosen, not a text pattern.
 */
class ScalarOperandSourceTest {
    /** DJL NDArray methods whose {@code Number} overload hands a Java-owned operand to a kept autograd input. */
    private static final Set<String> KEPT_OPERAND = Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum",
            "minimum", "mod", "modi", "rdiv", "rdivi", "rpow", "rpowi");
    private static final List<String> SOURCE_ROOTS = List.of("api/src/main/java", "results/src/main/java",
            "harness/src/main/java", "baselines/src/main/java", "protocols/src/main/java", "app/src/main/java",
            "examples/focal-loss/src/main/java");

    @Test
    void sources_neverPassANumberToAnOperandAutogradKeeps() throws IOException {
        Path repo = Path.of(System.getProperty("cambench.repo"));
        List<Path> files = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> walk = Files.walk(repo.resolve(root))) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertTrue(files.size() > 100, "found " + files.size() + " source files under " + repo);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> found = new ArrayList<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none", "-classpath",
                    classPath, "-d", Files.createTempDirectory("scalar-operand").toString()), null, units);
            Iterable<? extends CompilationUnitTree> trees = task.parse();
            task.analyze();
            Trees api = Trees.instance(task);
            for (CompilationUnitTree unit : trees) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        Element e = api.getElement(getCurrentPath());
                        if (e instanceof ExecutableElement m && KEPT_OPERAND.contains(m.getSimpleName().toString())
                                && m.getParameters().size() == 1
                                && m.getParameters().get(0).asType().toString().equals("java.lang.Number")
                                && m.getEnclosingElement().toString().startsWith("ai.djl.")) {
                            long line = unit.getLineMap().getLineNumber(api.getSourcePositions()
                                    .getStartPosition(unit, call));
                            found.add(repo.relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line + ": "
                                    + call);
                        }
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(unit, null);
            }
        }
        assertEquals(List.of(), found, "use cambench.api.Scalars instead of these Number overloads");
    }
}
