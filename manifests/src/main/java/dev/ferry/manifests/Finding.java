package dev.ferry.manifests;

/** One problem found in a manifest: where it is (file and object) and what a cluster would reject. */
public record Finding(String where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
