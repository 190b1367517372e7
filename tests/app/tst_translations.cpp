// The Spanish translation is complete and sound: every message translated, the same
// placeholders on both sides, and the compiled translation loaded by the app.
#include "language.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

using namespace waybill::app;

namespace {
struct Message
{
    QString context;
    QString source;
    QStringList translations; // one, or the plural forms
    bool unfinished = false;
};

QVector<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QVector<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = Message { context, {}, {}, false };
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.unfinished
                = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            current.translations = { text };
            messages.append(current);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?n|%\\d"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    found.removeDuplicates();
    return found;
}
} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT
private slots:
    void everySpanishMessageIsTranslatedWithItsPlaceholders();
    void spanishTranslationIsLoadedByTheApp();
};

void TestTranslations::everySpanishMessageIsTranslatedWithItsPlaceholders()
{
    QString error;
    const QVector<Message> messages
        = readTs(QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/waybill_es.ts"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 100);
    QStringList problems;
    for (const Message &m : messages) {
        const QString translation = m.translations.join(QString());
        if (m.unfinished || translation.trimmed().isEmpty()) {
            problems << QStringLiteral("untranslated: %1 \"%2\"").arg(m.context, m.source);
            continue;
        }
        if (placeholders(m.source) != placeholders(translation))
            problems << QStringLiteral("placeholders differ: %1 \"%2\" -> \"%3\"")
                            .arg(m.context, m.source, translation);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::spanishTranslationIsLoadedByTheApp()
{
    const QLocale locale = Language::install(QStringLiteral("es"));
    QCOMPARE(locale.language(), QLocale::Spanish);
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Envíos"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 2),
        QStringLiteral("2 envíos"));
    Language::install(QStringLiteral("en"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 1),
        QStringLiteral("1 shipment"));
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Shipments"));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
