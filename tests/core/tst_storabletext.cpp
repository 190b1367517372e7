// Text a database cannot store alike on SQLite and PostgreSQL (NUL), or that hides in screens,
// terminals and printed pages (control characters), or that is not Unicode at all (unpaired
// surrogates) is refused by validation, in every string field of every command, with its path.
#include "domain/commandvalidation.h"
#include "domain/storabletext.h"
#include "samplecommands.h"

#include <QJsonDocument>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// A raw body whose string at `path` carries `escape` (JSON text such as \u0000) in its middle.
QByteArray bodyWithEscape(const QJsonObject &body, const QJsonArray &path, const QByteArray &escape)
{
    const QString marker = QStringLiteral("MARK7f3a");
    QByteArray text = QJsonDocument(withString(body, path, QStringLiteral("Ab") + marker))
                          .toJson(QJsonDocument::Compact);
    text.replace(marker.toUtf8(), escape + "c");
    return text;
}

ValidationErrors validateText(CommandType type, const QByteArray &text)
{
    CommandBody body;
    ValidationErrors errors = parseCommandBody(text, &body);
    if (!errors.isEmpty())
        return errors;
    QJsonObject data;
    return validateCommandBody(type, body, &data);
}

bool isReason(const QJsonArray &path)
{
    return path.last().toString() == QLatin1String("reason");
}

} // namespace

class TestStorableText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampleCommandsCoverEveryType();
    void charactersAreSortedIntoStorableAndNot_data();
    void charactersAreSortedIntoStorableAndNot();
    void unstorableTextIsRefusedInEveryFieldWithItsPath_data();
    void unstorableTextIsRefusedInEveryFieldWithItsPath();
    void ordinaryUnicodeIsAcceptedInEveryFreeTextField_data();
    void ordinaryUnicodeIsAcceptedInEveryFreeTextField();
    void nulUnderAnUnknownKeyIsReportedOnceAtItsPath();
};

void TestStorableText::sampleCommandsCoverEveryType()
{
    for (CommandType type : allCommandTypes()) {
        if (type == CommandType::Invoice)
            continue;
        const std::optional<SampleCommand> sample = sampleCommand(type);
        QVERIFY2(sample, qPrintable(commandTypeName(type)));
        QJsonObject data;
        const ValidationErrors errors = validateCommandBody(type, sample->body, &data);
        QVERIFY2(errors.isEmpty(),
            qPrintable(commandTypeName(type) + QLatin1Char(' ')
                + QJsonDocument(validationErrorsToJson(errors)).toJson()));
    }
}

void TestStorableText::charactersAreSortedIntoStorableAndNot_data()
{
    using Kind = UnstorableCharacter::Kind;
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("index");
    const int single = int(TextLines::Single);
    const int multiple = int(TextLines::Multiple);
    QTest::newRow("plain") << QStringLiteral("Acme") << single << int(Kind::None) << -1;
    QTest::newRow("NUL") << QStringLiteral("Ac") + QChar(0) << single << int(Kind::Nul) << 2;
    QTest::newRow("NUL in many lines") << QString(QChar(0)) << multiple << int(Kind::Nul) << 0;
    QTest::newRow("start of heading") << QString(QChar(1)) << single << int(Kind::Control) << 0;
    QTest::newRow("escape") << QStringLiteral("a\x1b[2J") << single << int(Kind::Control) << 1;
    QTest::newRow("delete") << QString(QChar(0x7f)) << single << int(Kind::Control) << 0;
    QTest::newRow("C1 next line") << QString(QChar(0x85)) << multiple << int(Kind::Control) << 0;
    QTest::newRow("C1 last") << QString(QChar(0x9f)) << single << int(Kind::Control) << 0;
    QTest::newRow("tab") << QStringLiteral("a\tb") << single << int(Kind::None) << -1;
    QTest::newRow("line feed in one line")
        << QStringLiteral("a\nb") << single << int(Kind::Control) << 1;
    QTest::newRow("carriage return in one line")
        << QStringLiteral("a\rb") << single << int(Kind::Control) << 1;
    QTest::newRow("line breaks in many lines")
        << QStringLiteral("a\r\nb\nc") << multiple << int(Kind::None) << -1;
    QTest::newRow("lone high surrogate")
        << QStringLiteral("a") + QChar(0xd800) << single << int(Kind::LoneSurrogate) << 1;
    QTest::newRow("lone low surrogate")
        << QString(QChar(0xdc00)) + QStringLiteral("a") << single << int(Kind::LoneSurrogate) << 0;
    QTest::newRow("swapped pair") << QString(QChar(0xde9a)) + QChar(0xd83d) << single
                                  << int(Kind::LoneSurrogate) << 0;
    QTest::newRow("a pair") << QString::fromUcs4(U"\U0001F69A truck") << single << int(Kind::None)
                            << -1;
    QTest::newRow("no-break space, Latin-1 and beyond")
        << QString::fromUtf8("Pe\xc3\xb1\x61\xc2\xa0\xe6\x9d\xb1\xe4\xba\xac") << single
        << int(Kind::None) << -1;
}

void TestStorableText::charactersAreSortedIntoStorableAndNot()
{
    QFETCH(QString, text);
    QFETCH(int, lines);
    QFETCH(int, kind);
    QFETCH(int, index);
    const UnstorableCharacter found = findUnstorableCharacter(text, TextLines(lines));
    QCOMPARE(int(found.kind), kind);
    QCOMPARE(found.index, qsizetype(index));
}

void TestStorableText::unstorableTextIsRefusedInEveryFieldWithItsPath_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QJsonArray>("path");
    QTest::addColumn<QByteArray>("escape");
    const QList<QPair<const char *, QByteArray>> characters {
        { "NUL", QByteArrayLiteral("\\u0000") },
        { "raw NUL byte", QByteArray(1, '\0') },
        { "U+0001", QByteArrayLiteral("\\u0001") },
        { "escape", QByteArrayLiteral("\\u001b") },
        { "backspace", QByteArrayLiteral("\\b") },
        { "delete", QByteArrayLiteral("\\u007f") },
        { "C1 next line", QByteArrayLiteral("\\u0085") },
        { "lone surrogate", QByteArrayLiteral("\\ud800") },
    };
    for (const SampleCommand &sample : sampleCommands()) {
        for (const QJsonArray &path : stringPaths(sample.body)) {
            const QByteArray field = commandTypeName(sample.type).toUtf8() + ' '
                + QJsonDocument(path).toJson(QJsonDocument::Compact);
            for (const auto &[name, escape] : characters)
                QTest::addRow("%s %s", field.constData(), name)
                    << int(sample.type) << path << escape;
            if (!isReason(path))
                QTest::addRow("%s line feed", field.constData())
                    << int(sample.type) << path << QByteArrayLiteral("\\n");
        }
    }
}

void TestStorableText::unstorableTextIsRefusedInEveryFieldWithItsPath()
{
    QFETCH(int, type);
    QFETCH(QJsonArray, path);
    QFETCH(QByteArray, escape);
    const SampleCommand sample = *sampleCommand(CommandType(type));
    const ValidationErrors errors
        = validateText(CommandType(type), bodyWithEscape(sample.body, path, escape));
    QVERIFY2(errors.size() == 1,
        QJsonDocument(validationErrorsToJson(errors)).toJson(QJsonDocument::Compact));
    QCOMPARE(errors.first().path, path);
}

void TestStorableText::ordinaryUnicodeIsAcceptedInEveryFreeTextField_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QJsonArray>("path");
    QTest::addColumn<QByteArray>("escape");
    const QList<QPair<const char *, QByteArray>> characters {
        { "tab", QByteArrayLiteral("\\t") },
        { "surrogate pair", QByteArrayLiteral("\\ud83d\\ude9a") },
        { "raw UTF-8", QByteArrayLiteral("\xe6\x9d\xb1\xe4\xba\xac") },
        { "no-break space", QByteArrayLiteral("\\u00a0") },
    };
    for (const SampleCommand &sample : sampleCommands()) {
        for (const QJsonArray &path : stringPaths(sample.body)) {
            const QString key = path.last().toString();
            // Ids, states, zips and the times of windows have narrower rules of their own.
            if (key.endsWith(QLatin1String("Id")) || key == QLatin1String("state")
                || key == QLatin1String("zip") || key == QLatin1String("from")
                || key == QLatin1String("to"))
                continue;
            const QByteArray field = commandTypeName(sample.type).toUtf8() + ' '
                + QJsonDocument(path).toJson(QJsonDocument::Compact);
            for (const auto &[name, escape] : characters)
                QTest::addRow("%s %s", field.constData(), name)
                    << int(sample.type) << path << escape;
            if (isReason(path))
                QTest::addRow("%s line breaks", field.constData())
                    << int(sample.type) << path << QByteArrayLiteral("\\r\\n");
        }
    }
}

void TestStorableText::ordinaryUnicodeIsAcceptedInEveryFreeTextField()
{
    QFETCH(int, type);
    QFETCH(QJsonArray, path);
    QFETCH(QByteArray, escape);
    const SampleCommand sample = *sampleCommand(CommandType(type));
    const ValidationErrors errors
        = validateText(CommandType(type), bodyWithEscape(sample.body, path, escape));
    QVERIFY2(errors.isEmpty(),
        QJsonDocument(validationErrorsToJson(errors)).toJson(QJsonDocument::Compact));
}

void TestStorableText::nulUnderAnUnknownKeyIsReportedOnceAtItsPath()
{
    const ValidationErrors errors
        = validateText(CommandType::Cancel, R"({"reason":"x","extra":{"deep":["a\u0000"]}})");
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors.at(0).path, QJsonArray { QStringLiteral("extra") });
    QCOMPARE(
        errors.at(1).path, (QJsonArray { QStringLiteral("extra"), QStringLiteral("deep"), 0 }));
    QVERIFY2(errors.at(1).message.contains(QLatin1String("NUL")), qPrintable(errors.at(1).message));
}

QTEST_GUILESS_MAIN(TestStorableText)
#include "tst_storabletext.moc"
