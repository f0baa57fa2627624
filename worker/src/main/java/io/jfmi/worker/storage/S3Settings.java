package io.jfmi.worker.storage;

import java.net.URI;
import java.util.Map;

/**
 * How to reach S3: the AWS defaults (region and credentials from the Lambda environment), or an S3-compatible
 * server given by an endpoint, with path-style addressing.
 *
 * @param endpoint  null for AWS itself; else e.g. {@code http://127.0.0.1:9000}
 * @param region    null to take it from the environment ({@code AWS_REGION}); us-east-1 when there is none
 * @param accessKey null to use the default credential chain
 * @param secretKey goes with accessKey
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey) {
    /** Environment variables: JFMI_S3_ENDPOINT (or AWS_ENDPOINT_URL_S3), AWS_REGION, JFMI_S3_ACCESS_KEY/SECRET_KEY. */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        String endpoint = firstNonBlank(env.get("JFMI_S3_ENDPOINT"), env.get("AWS_ENDPOINT_URL_S3"));
        String region = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        return new S3Settings(endpoint == null ? null : URI.create(endpoint), region,
                firstNonBlank(env.get("JFMI_S3_ACCESS_KEY"), null), firstNonBlank(env.get("JFMI_S3_SECRET_KEY"), null));
    }

    public S3Settings withEndpoint(URI newEndpoint) {
        return new S3Settings(newEndpoint, region, accessKey, secretKey);
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b == null || b.isBlank() ? null : b.trim();
    }
}
