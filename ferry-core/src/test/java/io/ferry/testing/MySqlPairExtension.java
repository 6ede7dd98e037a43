package io.ferry.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Creates a {@link TestPair} per test class and drops its databases afterwards. See {@link MySqlPair}. */
public final class MySqlPairExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MySqlPairExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        pair(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestPair pair = context.getStore(NS).remove(context.getRequiredTestClass(), TestPair.class);
        if (pair != null) {
            pair.dropAll();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return pair(context);
    }

    private static TestPair pair(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent(testClass,
                k -> new TestPair(new TestServer(TestServers.source()), new TestServer(TestServers.target()),
                        testClass.getSimpleName()), TestPair.class);
    }
}
