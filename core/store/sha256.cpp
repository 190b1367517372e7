#include "sha256.h"

#include <QCryptographicHash>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WAYBILL_SHA_EXTENSIONS 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace waybill {

namespace {

#ifdef WAYBILL_SHA_EXTENSIONS

// FIPS 180-4, 4.2.2 and 5.3.3.
alignas(16) constexpr quint32 kRoundConstants[64] = { 0x428a2f98, 0x71374491, 0xb5c0fbcf,
    0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6,
    0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70,
    0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c,
    0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814,
    0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2 };
constexpr quint32 kInitialState[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
    0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

bool processorHasShaExtensions()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    const bool ssse3 = c & (1U << 9);
    const bool sse41 = c & (1U << 19);
    if (__get_cpuid_max(0, nullptr) < 7)
        return false;
    __cpuid_count(7, 0, a, b, c, d);
    return ssse3 && sse41 && (b & (1U << 29));
}

__m128i load(const uchar *p)
{
    __m128i v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Runs the compression function over whole 64-byte blocks. The state is kept as the
// instructions want it: ABEF in one register, CDGH in the other.
__attribute__((target("sha,sse4.1,ssse3"))) void compress(
    quint32 state[8], const uchar *data, qsizetype blocks)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba;
    __m128i hgfe;
    std::memcpy(&dcba, &state[0], sizeof dcba);
    std::memcpy(&hgfe, &state[4], sizeof hgfe);
    const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; blocks > 0; --blocks, data += 64) {
        const __m128i abefBefore = abef;
        const __m128i cdghBefore = cdgh;
        // w[g % 4] holds the message words of rounds 4g..4g+3: the block's for g < 4, then each
        // made from the sixteen before it.
        __m128i w[4];
        for (int i = 0; i < 4; ++i)
            w[i] = _mm_shuffle_epi8(load(data + 16 * i), byteSwap);
        for (int g = 0; g < 16; ++g) {
            if (g >= 4) {
                __m128i t = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
                w[g % 4] = _mm_sha256msg2_epu32(t, w[(g + 3) % 4]);
            }
            __m128i k;
            std::memcpy(&k, &kRoundConstants[4 * g], sizeof k);
            __m128i message = _mm_add_epi32(w[g % 4], k);
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            message = _mm_shuffle_epi32(message, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }

    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    dcba = _mm_blend_epi16(feba, dchg, 0xF0);
    hgfe = _mm_alignr_epi8(dchg, feba, 8);
    std::memcpy(&state[0], &dcba, sizeof dcba);
    std::memcpy(&state[4], &hgfe, sizeof hgfe);
}

QByteArray sha256OnShaExtensions(QByteArrayView data)
{
    quint32 state[8];
    std::memcpy(state, kInitialState, sizeof state);
    const auto *bytes = reinterpret_cast<const uchar *>(data.data());
    const qsizetype whole = data.size() / 64;
    compress(state, bytes, whole);

    // The padding: the rest of the data, a 1 bit, zeros, and the length in bits (big-endian),
    // in one block or two.
    uchar tail[128] = {};
    const qsizetype rest = data.size() - whole * 64;
    if (rest > 0)
        std::memcpy(tail, bytes + whole * 64, static_cast<size_t>(rest));
    tail[rest] = 0x80;
    const qsizetype tailLength = rest + 1 + 8 <= 64 ? 64 : 128;
    const quint64 bits = static_cast<quint64>(data.size()) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tailLength - 1 - i] = static_cast<uchar>(bits >> (8 * i));
    compress(state, tail, tailLength / 64);

    QByteArray digest(32, Qt::Uninitialized);
    for (int i = 0; i < 8; ++i) {
        digest[4 * i] = static_cast<char>(state[i] >> 24);
        digest[4 * i + 1] = static_cast<char>(state[i] >> 16);
        digest[4 * i + 2] = static_cast<char>(state[i] >> 8);
        digest[4 * i + 3] = static_cast<char>(state[i]);
    }
    return digest;
}

#endif

} // namespace

bool sha256OnProcessorInstructions()
{
#ifdef WAYBILL_SHA_EXTENSIONS
    static const bool has = processorHasShaExtensions();
    return has;
#else
    return false;
#endif
}

QByteArray sha256(QByteArrayView data)
{
#ifdef WAYBILL_SHA_EXTENSIONS
    if (sha256OnProcessorInstructions())
        return sha256OnShaExtensions(data);
#endif
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

} // namespace waybill
