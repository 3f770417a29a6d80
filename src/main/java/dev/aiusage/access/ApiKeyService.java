package dev.aiusage.access;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Creates, lists, revokes and checks API keys. Secrets are 256 random bits, so a plain SHA-256 digest is
 * enough to store them safely (slow password hashes exist for guessable secrets); a lookup by digest also
 * keeps the comparison out of Java string equality.
 */
@Singleton
public class ApiKeyService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET_PREFIX = "aiu_";
    private static final String BEARER = "Bearer ";

    private final ApiKeyRepository repository;
    private final Clock clock;
    private final String adminKeyHash;

    ApiKeyService(ApiKeyRepository repository, Clock clock, @Nullable @Value("${aiusage.admin-key:}") String adminKey) {
        this.repository = repository;
        this.clock = clock;
        this.adminKeyHash = adminKey == null || adminKey.isBlank() ? null : digest(adminKey.strip());
    }

    /** True when any key is configured or stored: then every request must carry one. */
    public boolean keysRequired() {
        return adminKeyHash != null || repository.existsByRevokedAtIsNull();
    }

    /** Who a bearer secret belongs to, if it is a live key. */
    public Optional<Access> authenticate(String secret) {
        String hash = digest(secret);
        if (hash.equals(adminKeyHash)) {
            return Optional.of(Access.of(Role.ADMIN, null, "admin-key"));
        }
        return repository.findByKeyHashAndRevokedAtIsNull(hash).map(k -> Access.of(k.role(), k.team(), "key:" + k.id()));
    }

    /**
     * Who an {@code Authorization} value ({@code Bearer <key>}, the scheme in any case) belongs to; empty when it is
     * not a bearer value or not a live key. The HTTP filter and the WebSocket handshake read keys alike.
     */
    public Optional<Access> fromAuthorization(String header) {
        return header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authenticate(header.substring(BEARER.length()).strip()) : Optional.empty();
    }

    public CreatedApiKey create(String name, Role role, String team) {
        String cleanName = Names.require("name", name);
        String cleanTeam = team == null ? null : Names.require("team", team);
        if (role == Role.TEAM && cleanTeam == null) {
            throw new BadInputException("team", "a TEAM key needs the team it may read");
        }
        if (role != Role.TEAM && cleanTeam != null) {
            throw new BadInputException("team", "only a TEAM key belongs to a team; a " + role + " key has none");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = repository.save(new ApiKey(null, cleanName, role, cleanTeam, digest(secret),
                secret.substring(0, 10), clock.instant(), null));
        return new CreatedApiKey(key, secret);
    }

    public ApiKey revoke(long id) {
        ApiKey key = repository.findById(id).orElseThrow(() -> new BadInputException("id", "no API key with id " + id));
        if (key.revokedAt() != null) {
            return key;
        }
        return repository.update(new ApiKey(key.id(), key.name(), key.role(), key.team(), key.keyHash(), key.prefix(),
                key.createdAt(), clock.instant()));
    }

    public List<ApiKey> list() {
        return repository.findAllOrderById();
    }

    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
