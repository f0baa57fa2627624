package io.jfmi.worker.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds S3 clients: JDK URL-connection HTTP (no Netty 4.1 beside our 4.2), path style for custom endpoints. */
public final class S3Clients {
    private S3Clients() {
    }

    public static S3Client create(S3Settings s) {
        AwsCredentialsProvider credentials = s.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        var b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(s.region() != null ? s.region() : "us-east-1"))
                .credentialsProvider(credentials)
                // Checksums only where S3 requires them: S3-compatible servers (S3Proxy, older MinIO) refuse the
                // aws-chunked uploads a current SDK sends by default.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint()).forcePathStyle(true);
        }
        return b.build();
    }
}
