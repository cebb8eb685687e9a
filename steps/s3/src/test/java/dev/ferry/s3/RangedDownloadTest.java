package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangedDownloadTest {

    @Test
    void the_whole_size_comes_from_content_range() {
        assertThat(RangedDownload.totalOf("bytes 0-5242879/12583689")).isEqualTo(12583689L);
        assertThat(RangedDownload.totalOf("bytes 0-5242879/*")).as("unknown").isEqualTo(-1);
        assertThat(RangedDownload.totalOf(null)).isEqualTo(-1);
        assertThat(RangedDownload.totalOf("garbage")).isEqualTo(-1);
    }
}
