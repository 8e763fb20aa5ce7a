package dev.twine.trial.engine.descriptor;

import dev.twine.trial.Tag;
import java.lang.reflect.AnnotatedElement;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.platform.engine.TestTag;

/** The {@link Tag}s of a class or method, as the platform's tags (invalid ones are left out). */
final class Tags {
    private Tags() {
    }

    static Set<TestTag> of(AnnotatedElement element) {
        Set<TestTag> tags = new LinkedHashSet<>();
        for (Tag tag : element.getAnnotationsByType(Tag.class)) {
            if (TestTag.isValid(tag.value())) {
                tags.add(TestTag.create(tag.value()));
            }
        }
        return tags;
    }
}
