/**
 * For the JVM flavour on Lambda SnapStart only: the priming before the snapshot (SnapStartPriming), its redirect of
 * the priming's own AWS calls (PrimingRedirect) to a stand-in (CannedAws), the reseeding after a restore
 * (FreshRandomness), and the JIT level it reports (JitLevel). The native flavour runs none of it.
 */
package dev.otpgate.snapstart;
