// The chain's SHA-256: on the processor's SHA instructions it gives, for every length and every
// byte, the digest QCryptographicHash gives, and the digests of the standard's own examples.
#include "store/sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

using namespace waybill;

class TestSha256 final : public QObject
{
    Q_OBJECT

private slots:
    void theStandardsExamplesHaveTheirDigests_data();
    void theStandardsExamplesHaveTheirDigests();
    void everyLengthAndByteHasQtsDigest();
};

void TestSha256::theStandardsExamplesHaveTheirDigests_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("digest");
    // FIPS 180-2 appendix B, and the empty message.
    QTest::newRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb924"
                                         "27ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray("ba7816bf8f01cfea414140de5dae2223"
                                       "b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("two blocks of padding")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                 << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67"
                                               "f1809a48a497200e046d39ccc7112cd0");
}

void TestSha256::theStandardsExamplesHaveTheirDigests()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, digest);
    QCOMPARE(sha256(message).toHex(), digest);
}

// Every length from 0 to 1,100 bytes (each place the padding can fall in one or two blocks, and
// many blocks), random bytes, and each one byte changed: the same digest as Qt's.
void TestSha256::everyLengthAndByteHasQtsDigest()
{
    if (!sha256OnProcessorInstructions())
        QSKIP("this processor has no SHA instructions: sha256() is QCryptographicHash here");
    QRandomGenerator random(20261201);
    for (int length = 0; length <= 1100; ++length) {
        QByteArray message(length, Qt::Uninitialized);
        for (char &c : message)
            c = static_cast<char>(random.bounded(256));
        const QByteArray expected = QCryptographicHash::hash(message, QCryptographicHash::Sha256);
        QCOMPARE(sha256(message), expected);
        if (length > 0) {
            message[random.bounded(length)] ^= static_cast<char>(1 + random.bounded(255));
            QCOMPARE(
                sha256(message), QCryptographicHash::hash(message, QCryptographicHash::Sha256));
        }
        // From an offset: the data need not be aligned.
        if (length > 3)
            QCOMPARE(sha256(QByteArrayView(message).sliced(3)),
                QCryptographicHash::hash(
                    QByteArrayView(message).sliced(3), QCryptographicHash::Sha256));
    }
}

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
