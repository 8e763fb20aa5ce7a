package dev.twine.trial.engine.descriptor;

import dev.twine.trial.Tag;
import java.lang.reflect.AnnotatedElement;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.platform.engine.TestTag;

/**
 * The {@link Tag}s of a class (its own and every superclass's) or method, as the platform's tags.
 * Invalid ones are left out here; discovery reports them as warnings.
 */
final class Tags {
    private Tags() {
    }

    static Set<TestTag> of(AnnotatedElement element) {
        Set<TestTag> tags = new LinkedHashSet<>();
        if (element instanceof Class<?> type) {
            // Java drops an @Inherited repeatable annotation of the superclass once the subclass has its own.
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                add(c.getDeclaredAnnotationsByType(Tag.class), tags);
            }
        } else {
            add(element.getAnnotationsByType(Tag.class), tags);
        }
        return tags;
    }

    private static void add(Tag[] found, Set<TestTag> tags) {
        for (Tag tag : found) {
            if (TestTag.isValid(tag.value())) {
                tags.add(TestTag.create(tag.value()));
            }
        }
    }
}
