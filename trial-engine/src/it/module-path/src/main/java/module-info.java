/** A user's module: it names Twine's reactor API by the jar's Automatic-Module-Name. */
module sample.modular {
    requires dev.twine.reactor.api;

    exports sample.modular;
}
