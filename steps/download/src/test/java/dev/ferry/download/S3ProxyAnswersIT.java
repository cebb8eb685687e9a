package dev.ferry.download;

import dev.ferry.testing.s3.S3Store;
import dev.ferry.testing.s3.S3TestServer;

/** The store-answers contract on S3Proxy (jclouds' S3 front end, in-process). */
class S3ProxyAnswersIT extends StoreAnswersContract {

    @Override
    S3Store backingStore() throws Exception {
        return S3TestServer.startTransient();
    }
}
