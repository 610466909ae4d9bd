package procsh.groovy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh Groovy session over its own table for each test, closed (and checked) after it. */
abstract class GroovyFixture {

    @TempDir
    Path temp;
    GroovyTestSession s;

    @BeforeEach
    void openSession() {
        s = new GroovyTestSession(temp);
    }

    @AfterEach
    void closeSession() {
        s.close();
    }
}
