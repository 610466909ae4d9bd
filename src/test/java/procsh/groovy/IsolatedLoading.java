package procsh.groovy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs code against this build's classes in a fresh class loader and reports every class it loaded. */
final class IsolatedLoading {

    interface Work {
        void run(ClassLoader loader) throws Exception;
    }

    private IsolatedLoading() {
    }

    static List<String> classesLoadedBy(Work work) throws Exception {
        List<String> loaded = new CopyOnWriteArrayList<>();
        URL[] classpath = {
            GroovyEngine.class.getProtectionDomain().getCodeSource().getLocation(),
            groovy.lang.GroovyObject.class.getProtectionDomain().getCodeSource().getLocation(),
        };
        try (URLClassLoader loader = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                loaded.add(name);
                return super.findClass(name);
            }
        }) {
            work.run(loader);
        }
        return loaded;
    }
}
