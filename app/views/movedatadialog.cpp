#include "movedatadialog.h"

#include "embedded/datamover.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace waybill::app {

MoveDataDialog::MoveDataDialog(const QString &sourceFile, QWidget *parent)
    : QDialog(parent)
    , m_sourceFile(sourceFile)
    , m_address(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_stage(new QLabel(this))
    , m_status(new QLabel(this))
    , m_move(new QPushButton(tr("&Move"), this))
    , m_connect(new QPushButton(tr("&Connect to the server…"), this))
    , m_close(new QPushButton(tr("Close"), this))
    , m_mover(new DataMover(this))
{
    setObjectName(QStringLiteral("moveDataDialog"));
    setWindowTitle(tr("Move this computer's data to a server"));
    auto *intro = new QLabel(tr("Copies every shipment, account, truck, invoice, the history and "
                                "the access tokens of this computer into the database of a "
                                "Waybill server. The server's database must be empty; this "
                                "computer's data stays as it is.\n\nThe database address is the "
                                "one the server is set up with (its --db or WAYBILL_DB); ask "
                                "whoever installed the server."),
        this);
    intro->setWordWrap(true);
    m_address->setObjectName(QStringLiteral("address"));
    m_address->setPlaceholderText(tr("postgresql://waybill@db.example.com:5432/waybill"));
    m_address->setAccessibleName(tr("Server database address"));
    // Wide enough for an address of the usual length to be read whole.
    m_address->setMinimumWidth(m_address->fontMetrics().averageCharWidth() * 60);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Database password"));
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setTextVisible(false); // "0%" before anything started says nothing
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_move->setObjectName(QStringLiteral("move"));
    m_connect->setObjectName(QStringLiteral("connect"));

    auto *form = new QFormLayout;
    form->addRow(
        tr("This computer's data:"), new QLabel(QDir::toNativeSeparators(sourceFile), this));
    form->addRow(tr("Server &database:"), m_address);
    form->addRow(tr("&Password:"), m_password);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_move, QDialogButtonBox::ActionRole);
    buttons->addButton(m_connect, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    m_connect->setVisible(false); // until a move succeeded (the box shows what it is given)
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_stage);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_move, &QPushButton::clicked, this, &MoveDataDialog::startMove);
    connect(m_connect, &QPushButton::clicked, this, [this] {
        Q_EMIT connectToServerRequested();
        accept();
    });
    connect(m_close, &QPushButton::clicked, this, &MoveDataDialog::reject);
    connect(m_mover, &DataMover::progressed, this, [this](int percent, const QString &what) {
        m_progress->setValue(percent);
        m_stage->setText(what);
    });
    connect(m_mover, &DataMover::finished, this, &MoveDataDialog::onFinished);
}

MoveDataDialog::~MoveDataDialog() = default;

QString MoveDataDialog::statusText() const
{
    return m_status->text();
}

QString MoveDataDialog::targetUrl() const
{
    const QString typed = m_address->text().trimmed();
    if (m_password->text().isEmpty())
        return typed;
    QUrl url(typed, QUrl::StrictMode);
    url.setPassword(m_password->text());
    return url.toString();
}

void MoveDataDialog::startMove()
{
    if (m_mover->isRunning())
        return;
    const QString why = DataMover::checkTargetUrl(m_address->text());
    if (!why.isEmpty()) {
        m_status->setText(why);
        return;
    }
    m_status->setText(tr("Moving to %1…").arg(DataMover::displayUrl(targetUrl())));
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_move->setEnabled(false);
    m_close->setEnabled(false);
    m_address->setEnabled(false);
    m_password->setEnabled(false);
    m_mover->start(m_sourceFile, targetUrl());
}

void MoveDataDialog::reject()
{
    if (m_mover->isRunning())
        return;
    QDialog::reject();
}

void MoveDataDialog::onFinished(bool ok, bool refused, const QString &message)
{
    m_close->setEnabled(true);
    if (ok) {
        m_progress->setValue(100);
        m_status->setText(message + QLatin1Char('\n')
            + tr("Start the server on this database, then connect to it: this computer's access "
                 "token works there too."));
        m_connect->setVisible(true);
        m_connect->setDefault(true);
    } else {
        m_status->setText(refused ? tr("Nothing was moved: %1").arg(message)
                                  : tr("The move did not finish: %1\nThe server's database is "
                                       "marked as an unfinished copy, which no server will "
                                       "open: empty it and move again.")
                                        .arg(message));
        m_move->setEnabled(true);
        m_address->setEnabled(true);
        m_password->setEnabled(true);
    }
    Q_EMIT moveFinished(ok);
}

} // namespace waybill::app
