#include "shipmentdetail.h"

#include "client/apiclient.h"
#include "client/documentloader.h"
#include "client/liveclient.h"
#include "documentpreview.h"
#include "domain/ids.h"
#include "domain/timeformat.h"
#include "models/shipmenttablemodel.h"
#include "models/timelinemodel.h"
#include "presentation/addresstext.h"
#include "presentation/eventdescription.h"
#include "presentation/moneytext.h"
#include "presentation/statuspresentation.h"
#include "presentation/timetext.h"
#include "session/session.h"
#include "shipmentactions.h"

#include <QAction>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kReloadDelayMs = 150;
} // namespace

ShipmentDetail::ShipmentDetail(Session *session, TruckTableModel *trucks, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_actions(new ShipmentActions(session, this, this))
    , m_timeline(new TimelineModel(session->api(), this))
    , m_placeholder(
          new QLabel(tr("Select a shipment on the board to see its details and history."), this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_badge(new QLabel(m_content))
    , m_pastBanner(new QFrame(m_content))
    , m_pastText(new QLabel(m_pastBanner))
    , m_backToNow(new QPushButton(tr("&Back to now"), m_pastBanner))
    , m_error(new QLabel(m_content))
    , m_form(new QFormLayout)
    , m_timelineView(new QTableView(m_content))
    , m_documents(new DocumentLoader(session->api(), this))
{
    setObjectName(QStringLiteral("shipmentDetail"));
    m_actions->setTrucks(trucks);
    m_timeline->followLive(session->live());
    connect(m_timeline, &TimelineModel::loadFailed, this, &ShipmentDetail::failed);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_badge->setObjectName(QStringLiteral("badge"));
    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_badge);
    header->addStretch(1);

    m_pastBanner->setObjectName(QStringLiteral("pastBanner"));
    m_pastBanner->setStyleSheet(QStringLiteral(
        "QFrame#pastBanner{background:#FFF4D6;border:1px solid #E0B84A;border-radius:3px;}"));
    m_pastText->setWordWrap(true);
    m_pastText->setObjectName(QStringLiteral("pastText"));
    m_backToNow->setObjectName(QStringLiteral("backToNow"));
    m_backToNow->setToolTip(tr("Show the shipment as it is now (Esc)"));
    auto *bannerLayout = new QHBoxLayout(m_pastBanner);
    bannerLayout->addWidget(m_pastText, 1);
    bannerLayout->addWidget(m_backToNow);
    m_pastBanner->setVisible(false);
    connect(m_backToNow, &QPushButton::clicked, this, &ShipmentDetail::backToNow);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &ShipmentDetail::backToNow);

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#B00020;"));
    m_error->setVisible(false);

    addField(m_form, QStringLiteral("status"), tr("Status:"));
    addField(m_form, QStringLiteral("from"), tr("From:"));
    addField(m_form, QStringLiteral("to"), tr("To:"));
    addField(m_form, QStringLiteral("weight"), tr("Weight:"));
    addField(m_form, QStringLiteral("account"), tr("Bill to:"));
    addField(m_form, QStringLiteral("cost"), tr("Cost:"));
    addField(m_form, QStringLiteral("truck"), tr("Truck:"));
    addField(m_form, QStringLiteral("pickupWindow"), tr("Pickup window:"));
    addField(m_form, QStringLiteral("deliveryWindow"), tr("Delivery window:"));
    addField(m_form, QStringLiteral("timing"), tr("Timing:"));
    addField(m_form, QStringLiteral("created"), tr("Created:"));
    addField(m_form, QStringLiteral("shipped"), tr("Shipped:"));
    addField(m_form, QStringLiteral("delivered"), tr("Delivered:"));
    addField(m_form, QStringLiteral("signedBy"), tr("Signed by:"));
    addField(m_form, QStringLiteral("cancelReason"), tr("Cancelled because:"));

    auto *actionRow = new QHBoxLayout;
    for (QAction *action : m_actions->offered()) {
        auto *button = new QToolButton(m_content);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        actionRow->addWidget(button);
    }
    m_billOfLading = new QAction(tr("&Bill of lading…"), this);
    m_billOfLading->setObjectName(QStringLiteral("billOfLadingAction"));
    m_billOfLading->setToolTip(tr("Preview, print or save as PDF the shipment's bill of lading"));
    connect(m_billOfLading, &QAction::triggered, this, &ShipmentDetail::printBillOfLading);
    auto *billButton = new QToolButton(m_content);
    billButton->setDefaultAction(m_billOfLading);
    billButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    billButton->setObjectName(QStringLiteral("billOfLadingActionButton"));
    actionRow->addStretch(1);
    actionRow->addWidget(billButton);
    connect(m_actions, &ShipmentActions::succeeded, this, &ShipmentDetail::succeeded);
    connect(m_actions, &ShipmentActions::failed, this, &ShipmentDetail::failed);

    auto *historyLabel
        = new QLabel(tr("&History (pick an event to see the shipment as it was then):"), m_content);
    historyLabel->setWordWrap(true);
    historyLabel->setBuddy(m_timelineView);
    m_timelineView->setObjectName(QStringLiteral("timeline"));
    m_timelineView->setAccessibleName(tr("History"));
    m_timelineView->setModel(m_timeline);
    m_timelineView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timelineView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timelineView->verticalHeader()->setVisible(false);
    m_timelineView->horizontalHeader()->setStretchLastSection(false);
    // Widths fit the longest time this locale writes and a user name; the sentence takes the rest.
    m_timelineView->setColumnWidth(
        TimelineModel::WhenColumn, TimeText::columnWidth(m_timelineView->fontMetrics()));
    m_timelineView->setColumnWidth(TimelineModel::WhoColumn, 110);
    m_timelineView->horizontalHeader()->setSectionResizeMode(
        TimelineModel::WhatColumn, QHeaderView::Stretch);
    m_timelineView->setWordWrap(true);
    connect(m_timelineView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (current.isValid())
                showAsOf(current.row());
        });

    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(header);
    contentLayout->addWidget(m_pastBanner);
    contentLayout->addWidget(m_error);
    contentLayout->addLayout(m_form);
    contentLayout->addLayout(actionRow);
    contentLayout->addWidget(historyLabel);
    contentLayout->addWidget(m_timelineView, 1);
    m_content->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_placeholder, 1);
    layout->addWidget(m_content, 1);

    m_reload.setSingleShot(true);
    m_reload.setInterval(kReloadDelayMs);
    connect(&m_reload, &QTimer::timeout, this, &ShipmentDetail::load);
    connect(session->live(), &LiveClient::eventReceived, this, [this](const QJsonObject &event) {
        if (!m_id.isEmpty() && m_asOf.isEmpty()
            && event.value(QLatin1String("streamId")).toString() == shipmentStreamId(m_id))
            m_reload.start();
    });
    connect(session->live(), &LiveClient::resynchronise, this, &ShipmentDetail::load);
}

void ShipmentDetail::addField(QFormLayout *form, const QString &key, const QString &label)
{
    auto *value = new QLabel(m_content);
    value->setObjectName(QStringLiteral("value-") + key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setAccessibleName(label);
    form->addRow(label, value);
    m_fields.insert(key, value);
}

void ShipmentDetail::setField(const QString &key, const QString &text)
{
    QLabel *value = m_fields.value(key);
    value->setText(text);
    m_form->setRowVisible(value, !text.isEmpty());
}

QString ShipmentDetail::fieldText(const QString &field) const
{
    const QLabel *value = m_fields.value(field);
    return value ? value->text() : QString();
}

void ShipmentDetail::showShipment(const QString &id)
{
    if (id == m_id)
        return;
    m_id = id;
    m_asOf.clear();
    m_shown.reset();
    m_pastBanner->setVisible(false);
    m_timeline->setShipment(id);
    m_placeholder->setVisible(id.isEmpty());
    m_content->setVisible(!id.isEmpty());
    m_actions->setShipment(std::nullopt);
    if (!id.isEmpty())
        load();
}

void ShipmentDetail::showAsOf(int timelineRow)
{
    const QModelIndex index = m_timeline->index(timelineRow, 0);
    const QString timestamp = index.data(TimelineModel::TimestampRole).toString();
    if (timestamp.isEmpty())
        return;
    m_asOf = timestamp;
    const QString what
        = m_timeline->index(timelineRow, TimelineModel::WhatColumn).data().toString();
    m_pastText->setText(
        tr("As it was on %1, right after: %2").arg(TimeText::display(timestamp), what));
    m_pastBanner->setVisible(true);
    m_actions->setUnavailable(
        tr("You are looking at the past. Go back to now to act on this shipment."));
    load();
}

void ShipmentDetail::printBillOfLading()
{
    if (m_id.isEmpty())
        return;
    m_documents->loadBillOfLading(m_id,
        [this](const std::optional<documents::PrintableDocument> &document, const QString &error) {
            if (document)
                Q_EMIT documentOpened(DocumentPreview::open(*document, this));
            else
                Q_EMIT failed(error);
        });
}

void ShipmentDetail::backToNow()
{
    if (m_asOf.isEmpty())
        return;
    m_asOf.clear();
    m_pastBanner->setVisible(false);
    m_timelineView->selectionModel()->clearSelection();
    m_timelineView->selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
    load();
}

void ShipmentDetail::load()
{
    m_reload.stop();
    if (m_id.isEmpty())
        return;
    QUrlQuery query;
    if (!m_asOf.isEmpty())
        query.addQueryItem(
            QStringLiteral("asOf"), QString::fromLatin1(QUrl::toPercentEncoding(m_asOf)));
    const QString id = m_id;
    const QString asOf = m_asOf;
    m_session->api()->get(ApiClient::pathOf({ QStringLiteral("shipments"), id }), query, this,
        [this, id, asOf](const ApiResult &answer) { onLoaded(id, asOf, answer); });
}

void ShipmentDetail::onLoaded(const QString &id, const QString &asOf, const ApiResult &answer)
{
    if (id != m_id || asOf != m_asOf)
        return; // the user has moved on
    if (!answer.ok()) {
        m_error->setText(answer.errorText);
        m_error->setVisible(true);
        if (m_asOf.isEmpty())
            m_actions->setShipment(std::nullopt);
        return;
    }
    m_error->setVisible(false);
    display(ShipmentState::fromJson(answer.object()));
}

void ShipmentDetail::display(const std::optional<ShipmentState> &state)
{
    m_shown = state;
    if (!state)
        return;
    const ShipmentState &s = *state;
    const QString status = shipmentStatusName(s.status);
    m_title->setText(tr("Shipment %1").arg(s.id));
    m_badge->setText(StatusPresentation::displayName(status));
    m_badge->setStyleSheet(QStringLiteral("background:%1;border-radius:8px;padding:2px 10px;")
                               .arg(StatusPresentation::color(status).name()));
    const QLocale locale;
    setField(QStringLiteral("status"), StatusPresentation::displayName(status));
    setField(QStringLiteral("from"), addressText(s.shipFrom));
    setField(QStringLiteral("to"), addressText(s.shipTo));
    setField(QStringLiteral("weight"), tr("%1 lb").arg(locale.toString(s.weightInPounds)));
    setField(QStringLiteral("account"), s.billToAccountId);
    setField(QStringLiteral("cost"), MoneyText::display(s.costCents, locale));
    setField(QStringLiteral("truck"), s.assignedToTruck);
    setField(QStringLiteral("pickupWindow"), TimeText::window(s.pickupWindow));
    setField(QStringLiteral("deliveryWindow"), TimeText::window(s.deliveryWindow));
    // A past state is judged as it was then, as the server judges it.
    const std::optional<QDateTime> then = parseIsoUtc(m_asOf);
    setField(QStringLiteral("timing"),
        ShipmentTableModel::timingText(s, then.value_or(QDateTime::currentDateTimeUtc())));
    setField(QStringLiteral("created"), TimeText::display(s.createdTimestamp, locale));
    setField(QStringLiteral("shipped"), TimeText::display(s.shipDate, locale));
    setField(QStringLiteral("delivered"), TimeText::display(s.deliveredDate, locale));
    setField(QStringLiteral("signedBy"), s.signedBy);
    setField(QStringLiteral("cancelReason"), s.cancelReason);
    if (m_asOf.isEmpty())
        m_actions->setShipment(s);
}

} // namespace waybill::app
