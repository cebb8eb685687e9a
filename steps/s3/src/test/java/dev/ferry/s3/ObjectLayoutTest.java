package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.workspace.Workspace;
import org.junit.jupiter.api.Test;

class ObjectLayoutTest {

    @Test
    void keysFollowBucketPrefixMigrationArtifact() {
        ObjectLayout layout = new ObjectLayout("onyx-migrations", "/clusters/old/");
        assertThat(layout.artifactKey("m-20261125", "dump/onyx.dump"))
                .isEqualTo("clusters/old/m-20261125/dump/onyx.dump");
        assertThat(layout.manifestKey("m-20261125")).isEqualTo("clusters/old/m-20261125/manifest.json");
        assertThat(layout.uri(layout.manifestKey("m-20261125")))
                .isEqualTo("s3://onyx-migrations/clusters/old/m-20261125/manifest.json");
    }

    @Test
    void anEmptyPrefixMeansTheBucketRoot() {
        ObjectLayout layout = new ObjectLayout("onyx-migrations", "/");
        assertThat(layout.manifestKey("m1")).isEqualTo("m1/manifest.json");
        assertThat(layout.migrationIdOfManifestKey("m1/manifest.json")).contains("m1");
    }

    @Test
    void recognisesOnlyTopLevelManifestsOfAMigration() {
        ObjectLayout layout = new ObjectLayout("b", "ferry");
        assertThat(layout.migrationIdOfManifestKey("ferry/m1/manifest.json")).contains("m1");
        assertThat(layout.migrationIdOfManifestKey("ferry/m1/nested/manifest.json"))
                .isEmpty();
        assertThat(layout.migrationIdOfManifestKey("ferry/m1/onyx.dump")).isEmpty();
        assertThat(layout.migrationIdOfManifestKey("other/m1/manifest.json")).isEmpty();
    }

    @Test
    void refusesPathsThatEscapeTheMigrationFolder() {
        ObjectLayout layout = new ObjectLayout("b", "ferry");
        assertThat(Workspace.isSafeRelativePath("dump/onyx.dump")).isTrue();
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", ""}) {
            assertThat(Workspace.isSafeRelativePath(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> layout.artifactKey("m1", "../m2/manifest.json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.manifestKey("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
