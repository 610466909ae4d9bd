package procsh.groovy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * Makes a script's top-level {@code def x = ...} set a session variable instead of a local one,
 * as groovysh does, so {@code def p = spawn(...)} on one line and {@code p.pid} on the next work.
 * Declarations inside blocks, closures and methods stay local; a declared type becomes a cast.
 * Methods the script declares become session variables too (method pointers), which later
 * inputs call by name: Groovy scripts fall back to a closure in the binding.
 */
final class SessionDeclarations extends CompilationCustomizer {

    SessionDeclarations() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        List<Statement> statements = source.getAST().getStatementBlock().getStatements();
        boolean onlyDeclarations = statements.isEmpty();
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i) instanceof ExpressionStatement statement
                    && statement.getExpression() instanceof DeclarationExpression declaration
                    && declaration.getAnnotations().isEmpty()) {
                Expression assignment = assignment(declaration);
                if (assignment != null) {
                    ExpressionStatement replaced = new ExpressionStatement(assignment);
                    replaced.setSourcePosition(statement);
                    statements.set(i, replaced);
                }
            }
        }
        Set<String> methods = new LinkedHashSet<>();
        for (MethodNode method : classNode.getMethods()) {
            if (method.getLineNumber() > 0 && !method.isStatic() && !method.getName().equals("run")) {
                methods.add(method.getName());
            }
        }
        int at = 0;
        for (String name : methods) {
            Expression pointer = new MethodPointerExpression(VariableExpression.THIS_EXPRESSION, new ConstantExpression(name));
            statements.add(at++, new ExpressionStatement(new BinaryExpression(new VariableExpression(name),
                    Token.newSymbol(Types.ASSIGN, -1, -1), pointer)));
        }
        if (onlyDeclarations && !methods.isEmpty()) {
            // An input that only declares methods has no value to show.
            statements.add(new ExpressionStatement(ConstantExpression.NULL));
        }
    }

    /** {@code x = value} for {@code def x = value}, or null to leave the declaration alone. */
    private static Expression assignment(DeclarationExpression declaration) {
        Token assign = Token.newSymbol(Types.ASSIGN, declaration.getOperation().getStartLine(),
                declaration.getOperation().getStartColumn());
        Expression value = declaration.getRightExpression();
        Expression target;
        if (declaration.isMultipleAssignmentDeclaration()) {
            if (value instanceof EmptyExpression) {
                return null;
            }
            TupleExpression names = new TupleExpression();
            for (Expression e : declaration.getTupleExpression().getExpressions()) {
                names.addExpression(variable((VariableExpression) e));
            }
            target = names;
        } else {
            VariableExpression declared = declaration.getVariableExpression();
            ClassNode type = declared.getOriginType();
            if (value instanceof EmptyExpression) {
                if (ClassHelper.isPrimitiveType(type)) {
                    return null;
                }
                value = ConstantExpression.NULL;
            } else if (!declared.isDynamicTyped()) {
                Expression cast = new CastExpression(type, value);
                cast.setSourcePosition(value);
                value = cast;
            }
            target = variable(declared);
        }
        target.setSourcePosition(declaration.getLeftExpression());
        BinaryExpression result = new BinaryExpression(target, assign, value);
        result.setSourcePosition(declaration);
        return result;
    }

    private static VariableExpression variable(VariableExpression declared) {
        VariableExpression v = new VariableExpression(declared.getName());
        v.setSourcePosition(declared);
        return v;
    }
}
