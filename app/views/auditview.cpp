#include "auditview.h"

#include "client/apiclient.h"
#include "client/csvdownload.h"
#include "domain/timeformat.h"
#include "models/eventlogfiltermodel.h"
#include "models/eventlogmodel.h"
#include "presentation/eventdescription.h"
#include "session/session.h"
#include "timerangeedit.h"
#include "viewsettings.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace waybill::app {

AuditView::AuditView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_log(new EventLogModel(session->api(), this))
    , m_filter(new EventLogFilterModel(this))
    , m_download(new CsvDownload(session->api(), this))
    , m_type(new QComboBox(this))
    , m_stream(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_work(new QWidget(this))
    , m_progress(new QProgressBar(m_work))
    , m_workText(new QLabel(m_work))
    , m_cancel(new QPushButton(tr("Cancel"), m_work))
    , m_result(new QLabel(this))
{
    setObjectName(QStringLiteral("auditView"));
    m_log->followLive(session->live());
    m_filter->setSourceModel(m_log);

    m_type->setObjectName(QStringLiteral("typeFilter"));
    m_type->setAccessibleName(tr("Event type filter"));
    m_type->addItem(tr("All events"), QString());
    for (const QString &type : EventDescription::types())
        m_type->addItem(EventDescription::typeName(type), type);
    m_stream->setObjectName(QStringLiteral("streamFilter"));
    m_stream->setPlaceholderText(tr("Stream, e.g. shipment-S-1001"));
    m_stream->setAccessibleName(tr("Stream filter"));
    m_stream->setClearButtonEnabled(true);
    m_user->setObjectName(QStringLiteral("userFilter"));
    m_user->setPlaceholderText(tr("User"));
    m_user->setAccessibleName(tr("User filter"));
    m_user->setClearButtonEnabled(true);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setPlaceholderText(tr("Text in the data"));
    m_text->setAccessibleName(tr("Text filter"));
    m_text->setClearButtonEnabled(true);

    QSettings settings;
    settings.beginGroup(QStringLiteral("audit"));
    m_type->setCurrentIndex(
        std::max(0, m_type->findData(settings.value(QStringLiteral("type")).toString())));
    m_stream->setText(settings.value(QStringLiteral("stream")).toString());
    m_user->setText(settings.value(QStringLiteral("user")).toString());
    m_text->setText(settings.value(QStringLiteral("text")).toString());
    settings.endGroup();

    auto *filters = new QHBoxLayout;
    auto *typeLabel = new QLabel(tr("&Event:"), this);
    typeLabel->setBuddy(m_type);
    filters->addWidget(typeLabel);
    filters->addWidget(m_type);
    filters->addWidget(m_stream, 1);
    filters->addWidget(m_user);
    filters->addWidget(m_text, 1);

    const Identity &identity = session->identity();
    if (identity.may(Capability::ExportAudit)) {
        m_export = new QAction(tr("&Export CSV…"), this);
        m_export->setObjectName(QStringLiteral("exportAction"));
        m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
        m_export->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_export->setToolTip(
            tr("Save the event log (or the stream in the Stream filter), within the export "
               "range, as CSV for a spreadsheet (Ctrl+E)"));
        addAction(m_export);
        connect(m_export, &QAction::triggered, this, &AuditView::chooseExportFile);
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("exportButton"));
        button->setDefaultAction(m_export);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        filters->addWidget(button);

        m_range = new TimeRangeEdit(this);
        m_range->setObjectName(QStringLiteral("exportRange"));
        QSettings kept;
        kept.beginGroup(QStringLiteral("audit"));
        m_range->setFrom(parseIsoUtc(kept.value(QStringLiteral("exportFrom")).toString()));
        m_range->setTo(parseIsoUtc(kept.value(QStringLiteral("exportTo")).toString()));
        connect(m_range, &TimeRangeEdit::changed, this, [this] {
            rememberRange();
            updateActions();
        });
    }
    if (identity.may(Capability::VerifyAudit)) {
        m_verify = new QAction(tr("&Verify history"), this);
        m_verify->setObjectName(QStringLiteral("verifyAction"));
        m_verify->setToolTip(tr("Check that no event was altered or removed (the hash chain)"));
        addAction(m_verify);
        connect(m_verify, &QAction::triggered, this, &AuditView::verify);
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("verifyButton"));
        button->setDefaultAction(m_verify);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        filters->addWidget(button);
    }

    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setAccessibleName(tr("Event log"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setColumnWidth(EventLogModel::PositionColumn, 80);
    m_table->setColumnWidth(EventLogModel::TimeColumn, 170);
    m_table->setColumnWidth(EventLogModel::StreamColumn, 170);
    m_table->setColumnWidth(EventLogModel::VersionColumn, 60);
    ViewSettings::keep(m_table->horizontalHeader(), QStringLiteral("audit/columns"));

    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setAccessibleName(tr("Progress"));
    m_cancel->setObjectName(QStringLiteral("cancelWork"));
    m_workText->setObjectName(QStringLiteral("workText"));
    auto *workLayout = new QHBoxLayout(m_work);
    workLayout->setContentsMargins(0, 0, 0, 0);
    workLayout->addWidget(m_workText);
    workLayout->addWidget(m_progress, 1);
    workLayout->addWidget(m_cancel);
    m_work->setVisible(false);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    if (m_range) {
        auto *range = new QHBoxLayout;
        auto *rangeLabel = new QLabel(tr("Export range:"), this);
        range->addWidget(rangeLabel);
        range->addWidget(m_range, 1);
        layout->addLayout(range);
    }
    layout->addWidget(m_work);
    layout->addWidget(m_result);
    layout->addWidget(m_table, 1);

    connect(
        m_type, qOverload<int>(&QComboBox::currentIndexChanged), this, &AuditView::applyFilters);
    for (QLineEdit *edit : { m_stream, m_user, m_text })
        connect(edit, &QLineEdit::editingFinished, this, &AuditView::applyFilters);
    connect(m_cancel, &QPushButton::clicked, this, &AuditView::cancelWork);
    connect(m_log, &EventLogModel::loadFailed, this, &AuditView::failed);
    connect(m_download, &CsvDownload::progress, this,
        [this](qint64 rows, qint64 expectedRows, qint64 bytes, qint64 expectedBytes) {
            if (expectedRows > 0) {
                m_progress->setRange(0, 1000);
                m_progress->setValue(int(std::min<qint64>(1000, rows * 1000 / expectedRows)));
            } else if (expectedBytes > 0) {
                m_progress->setRange(0, 1000);
                m_progress->setValue(int(std::min<qint64>(1000, bytes * 1000 / expectedBytes)));
            }
            m_workText->setText(tr("Exporting: %Ln event(s) written…", nullptr, rows));
        });
    connect(m_download, &CsvDownload::finished, this, [this](bool ok, const QString &message) {
        setWorking(false, {});
        showResult(ok, message);
    });
    applyFilters();
    updateActions();
}

void AuditView::applyFilters()
{
    m_log->setQuery({ m_type->currentData().toString(), m_stream->text().trimmed() });
    m_filter->setUserFilter(m_user->text());
    m_filter->setTextFilter(m_text->text());
    QSettings settings;
    settings.beginGroup(QStringLiteral("audit"));
    settings.setValue(QStringLiteral("type"), m_type->currentData().toString());
    settings.setValue(QStringLiteral("stream"), m_stream->text().trimmed());
    settings.setValue(QStringLiteral("user"), m_user->text().trimmed());
    settings.setValue(QStringLiteral("text"), m_text->text().trimmed());
}

void AuditView::rememberRange()
{
    const std::optional<QDateTime> from = m_range->from();
    const std::optional<QDateTime> to = m_range->to();
    QSettings settings;
    settings.beginGroup(QStringLiteral("audit"));
    settings.setValue(QStringLiteral("exportFrom"), from ? toIsoUtc(*from) : QString());
    settings.setValue(QStringLiteral("exportTo"), to ? toIsoUtc(*to) : QString());
}

void AuditView::updateActions()
{
    if (m_export)
        m_export->setEnabled(!m_working && (!m_range || m_range->isValid()));
    if (m_verify)
        m_verify->setEnabled(!m_working);
}

void AuditView::chooseExportFile()
{
    if (m_range && !m_range->isValid())
        return;
    const QString folder
        = QSettings()
              .value(QStringLiteral("audit/exportFolder"),
                  QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .toString();
    const QString suggested = QDir(folder).filePath(
        QStringLiteral("waybill-events-%1.csv")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the event log"), suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QSettings().setValue(QStringLiteral("audit/exportFolder"), QFileInfo(path).absolutePath());
    exportTo(path);
}

void AuditView::exportTo(const QString &filePath)
{
    if (m_download->isRunning() || m_verifyReply || (m_range && !m_range->isValid()))
        return;
    QUrlQuery query;
    const QString stream = m_stream->text().trimmed();
    if (!stream.isEmpty())
        query.addQueryItem(
            QStringLiteral("streamId"), QString::fromLatin1(QUrl::toPercentEncoding(stream)));
    if (m_range) {
        // The server takes from as included and to as excluded, both ISO-8601 UTC.
        if (const std::optional<QDateTime> from = m_range->from())
            query.addQueryItem(QStringLiteral("from"), toIsoUtc(*from));
        if (const std::optional<QDateTime> to = m_range->to())
            query.addQueryItem(QStringLiteral("to"), toIsoUtc(*to));
    }
    QString error;
    if (!m_download->start(filePath, query, &error)) {
        showResult(false, error);
        return;
    }
    setWorking(true, tr("Exporting…"));
}

void AuditView::verify()
{
    if (m_download->isRunning() || m_verifyReply)
        return;
    setWorking(true, tr("Verifying the history…"));
    m_verifyReply = m_session->api()->get(
        QStringLiteral("/audit/verify"), {}, this, [this](const ApiResult &answer) {
            m_verifyReply = nullptr;
            setWorking(false, {});
            if (answer.cancelled) {
                showResult(false, tr("Verification cancelled."));
                return;
            }
            if (!answer.ok()) {
                showResult(false, answer.errorText);
                return;
            }
            const QJsonObject result = answer.object();
            const qint64 events
                = static_cast<qint64>(result.value(QLatin1String("events")).toDouble());
            if (result.value(QLatin1String("ok")).toBool()) {
                showResult(true,
                    tr("The history is intact: %Ln event(s) checked, none altered or "
                       "removed.",
                        nullptr, events));
            } else {
                const qint64 position = static_cast<qint64>(
                    result.value(QLatin1String("firstBadPosition")).toDouble());
                const QString reason = result.value(QLatin1String("reason")).toString();
                showResult(false,
                    reason.isEmpty() ? tr("The history was altered: the first bad event is at "
                                          "position %1.")
                                           .arg(position)
                                     : tr("The history was altered: the first bad event is at "
                                          "position %1 (%2).")
                                           .arg(QString::number(position), reason));
            }
        });
}

void AuditView::cancelWork()
{
    if (m_download->isRunning())
        m_download->cancel();
    if (m_verifyReply)
        m_verifyReply->abort();
}

void AuditView::setWorking(bool working, const QString &text)
{
    m_work->setVisible(working);
    m_progress->setRange(0, 0); // busy until the server says how much there is
    m_workText->setText(text);
    m_working = working;
    updateActions();
    if (working)
        m_result->setVisible(false);
}

void AuditView::showResult(bool ok, const QString &text)
{
    m_result->setText(text);
    m_result->setStyleSheet(
        ok ? QStringLiteral("color:#1B6E20;") : QStringLiteral("color:#B00020;"));
    m_result->setVisible(true);
}

QString AuditView::resultText() const
{
    return !m_result->isHidden() ? m_result->text() : QString();
}

} // namespace waybill::app
