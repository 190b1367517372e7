// A self-signed certificate for the TLS tests, made with the openssl tool. TLS is required (a
// missing tool or TLS backend fails the test instead of skipping it) when WAYBILL_REQUIRE_TLS is
// set to anything but "" or "0", or, unless WAYBILL_REQUIRE_TLS is "0", when CI is set to
// anything but "", "0" or "false": CI must not lose its HTTPS coverage without anyone noticing.
#pragma once

#include <QString>

#include <optional>

namespace waybill::test {

bool requireTls();

struct TestCertificate
{
    QString certificate; // PEM, for CN and subjectAltName 127.0.0.1 and localhost
    QString key; // PEM, unencrypted
};

// Writes a fresh certificate and key into folder. Empty, with the reason, when this machine
// cannot do TLS (no Qt TLS backend, no openssl tool) or the tool failed.
std::optional<TestCertificate> makeTestCertificate(const QString &folder, QString *why);

} // namespace waybill::test

// Declares `variable` (a TestCertificate) made in folder; else skips the test, or fails it when
// requireTls().
#define WAYBILL_TEST_CERTIFICATE(variable, folder)                                                 \
    QString variable##Why_;                                                                        \
    const std::optional<waybill::test::TestCertificate> variable##Made_                            \
        = waybill::test::makeTestCertificate((folder), &variable##Why_);                           \
    if (!variable##Made_) {                                                                        \
        if (waybill::test::requireTls())                                                           \
            QFAIL(qPrintable(variable##Why_                                                        \
                + QStringLiteral(" (TLS is required here: WAYBILL_REQUIRE_TLS or CI is set)")));   \
        QSKIP(qPrintable(variable##Why_));                                                         \
    }                                                                                              \
    const waybill::test::TestCertificate &variable = *variable##Made_
