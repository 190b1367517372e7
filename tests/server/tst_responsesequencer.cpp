// The response sequencer, byte by byte: pipelined answers leave in request order, whatever
// order they are written in, and nothing leaves after an answer that ends the connection.
#include "http/responsesequencer.h"

#include <QTest>

using namespace waybill::http;
using Close = ResponseSequencer::Close;

class TestResponseSequencer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersLeaveInRequestOrder();
    void theCurrentAnswerGoesOutAsItIsWritten();
    void aHeldAnswerThatIsStillOpenGoesOutAsItComesOnceCurrent();
    void anAnswerThatEndsTheConnectionDropsTheLaterOnes();
    void howToCloseIsPassedOnOnceTheAnswerIsOut();
    void writesToFinishedOrUnknownTicketsAreIgnored();
    void heldBytesAndUnfinishedAnswersAreCounted();
    void writesMadeWhileWritingKeepTheOrder();
};

void TestResponseSequencer::answersLeaveInRequestOrder()
{
    QByteArray out;
    ResponseSequencer s([&](const QByteArray &b) { out += b; }, [](Close) {});
    const quint64 a = s.open();
    const quint64 b = s.open();
    const quint64 c = s.open();
    s.write(c, "C1");
    s.finish(c, Close::No);
    s.write(b, "B1");
    QCOMPARE(out, QByteArray());
    s.write(a, "A1");
    QCOMPARE(out, QByteArray("A1"));
    s.write(b, "B2");
    s.write(a, "A2");
    QCOMPARE(out, QByteArray("A1A2"));
    s.finish(a, Close::No);
    QCOMPARE(out, QByteArray("A1A2B1B2"));
    s.finish(b, Close::No);
    QCOMPARE(out, QByteArray("A1A2B1B2C1"));
    QCOMPARE(s.unfinished(), 0);
}

void TestResponseSequencer::theCurrentAnswerGoesOutAsItIsWritten()
{
    QByteArrayList writes;
    ResponseSequencer s([&](const QByteArray &b) { writes << b; }, [](Close) {});
    const quint64 a = s.open();
    s.write(a, "head");
    s.write(a, "chunk");
    QCOMPARE(writes, QByteArrayList({ "head", "chunk" }));
    QCOMPARE(s.current(), a);
}

void TestResponseSequencer::aHeldAnswerThatIsStillOpenGoesOutAsItComesOnceCurrent()
{
    QByteArray out;
    ResponseSequencer s([&](const QByteArray &b) { out += b; }, [](Close) {});
    const quint64 a = s.open();
    const quint64 b = s.open();
    s.write(b, "B1");
    s.finish(a, Close::No);
    QCOMPARE(out, QByteArray("B1"));
    QCOMPARE(s.current(), b);
    s.write(b, "B2");
    QCOMPARE(out, QByteArray("B1B2"));
    QCOMPARE(s.heldBytes(), 0);
}

void TestResponseSequencer::anAnswerThatEndsTheConnectionDropsTheLaterOnes()
{
    QByteArray out;
    int closes = 0;
    ResponseSequencer s([&](const QByteArray &b) { out += b; }, [&](Close) { ++closes; });
    const quint64 a = s.open();
    const quint64 b = s.open();
    const quint64 c = s.open();
    s.write(b, "B");
    s.finish(b, Close::Yes);
    s.write(c, "C");
    s.write(a, "A");
    s.finish(a, Close::No);
    QCOMPARE(out, QByteArray("AB"));
    QCOMPARE(closes, 1);
    QVERIFY(s.isClosed());
    s.finish(c, Close::No);
    s.write(s.open(), "D");
    QCOMPARE(out, QByteArray("AB"));
    QCOMPARE(closes, 1);
    QCOMPARE(s.heldBytes(), 0);
}

void TestResponseSequencer::howToCloseIsPassedOnOnceTheAnswerIsOut()
{
    QByteArray out;
    QList<Close> closes;
    ResponseSequencer s([&](const QByteArray &b) { out += b; },
        [&](Close close) {
            QCOMPARE(out, QByteArray("refused"));
            closes << close;
        });
    const quint64 a = s.open();
    s.write(a, "refused");
    s.finish(a, Close::Lingering);
    QCOMPARE(closes, QList<Close>({ Close::Lingering }));
}

void TestResponseSequencer::writesToFinishedOrUnknownTicketsAreIgnored()
{
    QByteArray out;
    ResponseSequencer s([&](const QByteArray &b) { out += b; }, [](Close) {});
    const quint64 a = s.open();
    const quint64 b = s.open();
    s.write(b, "B");
    s.finish(b, Close::No);
    s.write(b, "late");
    s.finish(b, Close::Yes); // finished already: changes nothing
    s.write(a + 7, "unknown");
    s.finish(a + 7, Close::Yes);
    s.write(a, "A");
    s.finish(a, Close::No);
    s.write(a, "after");
    QCOMPARE(out, QByteArray("AB"));
    QVERIFY(!s.isClosed());
    QCOMPARE(s.unfinished(), 0);
}

void TestResponseSequencer::heldBytesAndUnfinishedAnswersAreCounted()
{
    ResponseSequencer s([](const QByteArray &) {}, [](Close) {});
    const quint64 a = s.open();
    const quint64 b = s.open();
    const quint64 c = s.open();
    QCOMPARE(s.unfinished(), 3);
    s.write(a, "aaaa");
    s.write(b, "bb");
    s.write(c, "ccc");
    QCOMPARE(s.heldBytes(a), 0); // the current answer is not held
    QCOMPARE(s.heldBytes(b), 2);
    QCOMPARE(s.heldBytes(), 5);
    s.finish(c, Close::No);
    QCOMPARE(s.unfinished(), 2);
    s.finish(a, Close::No);
    QCOMPARE(s.heldBytes(), 3);
    QCOMPARE(s.unfinished(), 1);
    s.finish(b, Close::No);
    QCOMPARE(s.heldBytes(), 0);
    QCOMPARE(s.unfinished(), 0);
}

void TestResponseSequencer::writesMadeWhileWritingKeepTheOrder()
{
    // Writing can lead straight back to the sequencer: the socket reports bytes written, and a
    // streaming answer writes its next piece, or a later answer writes and finishes.
    QByteArray out;
    ResponseSequencer *self = nullptr;
    quint64 b = 0;
    quint64 c = 0;
    bool reentered = false;
    ResponseSequencer s(
        [&](const QByteArray &bytes) {
            out += bytes;
            if (bytes == "A-last" && !reentered) {
                reentered = true;
                self->write(b, "B2"); // b is held, with B1 before it
                self->write(c, "C1");
                self->finish(c, Close::No);
            }
        },
        [](Close) {});
    self = &s;
    const quint64 a = s.open();
    b = s.open();
    c = s.open();
    s.write(b, "B1");
    s.write(a, "A-first");
    s.finish(a, Close::No); // nothing held for a: B1 goes out
    QCOMPARE(out, QByteArray("A-firstB1"));

    // Again with the last bytes of an answer held when it finishes.
    out.clear();
    reentered = false;
    ResponseSequencer t(
        [&](const QByteArray &bytes) {
            out += bytes;
            if (bytes == "A-last" && !reentered) {
                reentered = true;
                self->write(b, "B2");
                self->write(c, "C1");
                self->finish(c, Close::No);
            }
        },
        [](Close) {});
    self = &t;
    const quint64 z = t.open(); // answered first, to hold a's bytes behind it
    const quint64 a2 = t.open();
    b = t.open();
    c = t.open();
    t.write(a2, "A-last");
    t.finish(a2, Close::No);
    t.write(b, "B1");
    t.finish(z, Close::No);
    QCOMPARE(out, QByteArray("A-lastB1B2"));
    t.finish(b, Close::No);
    QCOMPARE(out, QByteArray("A-lastB1B2C1"));
    QCOMPARE(t.unfinished(), 0);
}

QTEST_GUILESS_MAIN(TestResponseSequencer)
#include "tst_responsesequencer.moc"
