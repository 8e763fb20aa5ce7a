package dev.twine.tutorial.chapters;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.defer.InlineCallbacks;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A Python generator, as close as Java gets: Java has no {@code yield}, so the body runs as an
 * {@link InlineCallbacks} coroutine, Twine's own way of suspending code in the middle. {@link
 * #yield} hands a value to the consumer and awaits a Deferred that the consumer's next {@link
 * #send} (or {@link #throwIn}) fires; the body and the consumer never run at the same time. The
 * body starts at the first {@code next()}, as a generator does; when it returns, {@code next()}
 * throws {@link NoSuchElementException}, Java's {@code StopIteration}. Single-threaded, like a
 * generator: use it from the thread that made it.
 *
 * @param <T> what the body yields
 */
final class Generator<T> implements Iterator<T>, Iterable<T> {

    /** A generator's body: it calls {@code self.yield(value)} where Python says {@code yield value}. */
    @FunctionalInterface
    interface Body<T> {
        void run(Generator<T> self) throws Exception;
    }

    private final Body<T> body;
    private Deferred<Object> finished;
    private Failure ended;
    private Deferred<Object> resume;
    private boolean yielded;
    private T value;
    private boolean peeked;

    Generator(Body<T> body) {
        this.body = body;
    }

    /**
     * In the body: hands {@code next} to the consumer and waits for it to ask for more.
     *
     * @return what the consumer sent ({@code null} for {@code next()})
     * @throws Exception what the consumer threw in with {@link #throwIn}
     */
    Object yield(T next) throws Exception {
        value = next;
        yielded = true;
        resume = new Deferred<>();
        return InlineCallbacks.await(resume);
    }

    /** Runs the body to its next {@code yield} and returns the value yielded ({@code next(gen)}). */
    @Override
    public T next() {
        if (peeked) {
            peeked = false;
            return value;
        }
        return send(null);
    }

    /** Whether the body yields again; runs it to its next {@code yield} to find out. */
    @Override
    public boolean hasNext() {
        if (!peeked) {
            try {
                send(null);
                peeked = true;
            } catch (NoSuchElementException stopped) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /** Resumes the body, {@code yield} returning {@code sent}; returns its next value ({@code gen.send(sent)}). */
    T send(Object sent) {
        yielded = false;
        if (finished == null) {
            finished = InlineCallbacks.inlineCallbacks(() -> {
                body.run(this);
                return null;
            });
            finished.addVoidErrback(failure -> {
                ended = failure;
            });
        } else if (finished.isCalled()) {
            throw new NoSuchElementException("the generator has finished");
        } else {
            resume.callback(sent);
        }
        return afterResume();
    }

    /** Throws {@code error} in the body at its {@code yield}; returns its next value ({@code gen.throw(error)}). */
    T throwIn(Exception error) {
        if (finished == null || finished.isCalled()) {
            throw new Failure(error).raiseException();
        }
        yielded = false;
        resume.errback(error);
        return afterResume();
    }

    private T afterResume() {
        if (yielded) {
            return value;
        }
        if (ended != null) {
            throw ended.raiseException();
        }
        throw new NoSuchElementException("the generator has finished");
    }
}
