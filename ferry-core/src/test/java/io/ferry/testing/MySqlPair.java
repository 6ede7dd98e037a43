package io.ferry.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that runs against the source/target pair. The class gets fresh, uniquely named
 * databases on both servers (see {@link TestPair}), injected as a constructor or method parameter, and they are
 * dropped after the class. Servers are found by {@link TestServers}; with none available the tests fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MySqlPairExtension.class)
public @interface MySqlPair {
}
