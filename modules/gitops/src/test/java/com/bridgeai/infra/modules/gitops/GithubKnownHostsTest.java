package com.bridgeai.infra.modules.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GithubKnownHostsTest {
    @Test
    void pinnedGithubHostKeysMatchThePublishedFingerprints() throws Exception {
        Map<String, String> published = Map.of(
                "ssh-ed25519", "+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU",
                "ecdsa-sha2-nistp256", "p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM",
                "ssh-rsa", "uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
        assertEquals(3, GithubKnownHosts.LINES.size());
        for (String line : GithubKnownHosts.LINES) {
            String[] parts = line.split(" ");
            assertEquals("github.com", parts[0]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(parts[2]));
            String fingerprint = Base64.getEncoder().withoutPadding().encodeToString(digest);
            assertEquals(published.get(parts[1]), fingerprint, parts[1]);
        }
        assertEquals(String.join("\n", GithubKnownHosts.LINES) + "\n", GithubKnownHosts.file());
    }
}
