package dev.otpgate.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A TransactionID stays a UUID string and says which region issued it (docs/regions.md "A code stays home"). */
class HomeRegionTest {

    final HomeRegion east = new HomeRegion("us-east-1");
    final HomeRegion west = new HomeRegion("us-west-2");

    @Test
    void aTransactionIdIsAUuidStringOfVersion8WithTheVariantOfRfc9562() {
        String id = east.newTransactionId();
        UUID parsed = UUID.fromString(id);
        assertEquals(id, parsed.toString(), "canonical: 36 characters, lower-case hex");
        assertEquals(8, parsed.version());
        assertEquals(2, parsed.variant());
    }

    @Test
    void onlyTheIssuingRegionTakesItsCodes() {
        String id = east.newTransactionId();
        assertFalse(east.issuedElsewhere(id));
        assertTrue(west.issuedElsewhere(id));
        assertTrue(east.issuedElsewhere(west.newTransactionId()));
    }

    @Test
    void idsFromBeforeRegionsAndNonUuidsAreLookedUpAsBefore() {
        assertFalse(west.issuedElsewhere(UUID.randomUUID().toString()), "a version-4 id: looked up here");
        assertFalse(west.issuedElsewhere("not-a-uuid"));
        assertFalse(west.issuedElsewhere("12345"));
    }

    @Test
    void idsStayRandomBeyondTheTag() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(east.newTransactionId());
        }
        assertEquals(10_000, ids.size());
        assertNotEquals(HomeRegion.tag("us-east-1"), HomeRegion.tag("eu-west-1"));
        assertEquals(0x487d6534L, HomeRegion.tag("us-east-1"), "docs/regions.md gives this tag");
        assertTrue(ids.stream().allMatch(i -> i.startsWith(String.format("%08x", HomeRegion.tag("us-east-1")))));
    }
}
