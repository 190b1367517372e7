// SHA-256 for the hash chain's links, on the processor's SHA instructions where it has them.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace waybill {

// The 32-byte SHA-256 digest of data. On x86-64 processors with the SHA extensions (Intel since
// Goldmont and Ice Lake, AMD since Zen) it is computed with them, about five times faster than
// QCryptographicHash's portable C; elsewhere it is QCryptographicHash's. Both give the same
// digest (tst_sha256). The code holds no state beyond the call: nothing to set up or free.
QByteArray sha256(QByteArrayView data);

// Whether sha256() runs on the processor's SHA instructions here.
bool sha256OnProcessorInstructions();

} // namespace waybill
