// The routes: which view owns which screen. A new screen adds its line here.
#include "app/screens/registry.h"

#include <memory>

#include "app/screens/booking.h"
#include "app/screens/cancel.h"
#include "app/screens/detail.h"
#include "app/screens/listings.h"
#include "app/screens/opinion.h"
#include "app/screens/organizations.h"
#include "app/screens/proposal.h"
#include "app/screens/public_comment.h"
#include "app/screens/receipt.h"
#include "app/screens/signup.h"
#include "app/screens/start.h"
#include "app/screens/survey.h"
#include "app/screens/groups.h"
#include "app/screens/talent.h"
#include "app/ui/shell.h"

namespace kyodo::app::screens {

void add_kiosk_views(Shell& shell) {
    shell.add_view(std::make_unique<StartView>(), {Screen::Start});
    shell.add_view(std::make_unique<ListingsView>(), {Screen::Listings});
    shell.add_view(std::make_unique<DetailView>(), {Screen::Detail});
    shell.add_view(std::make_unique<SignUpView>(), {Screen::SignUp});   // one question a screen
    shell.add_view(std::make_unique<OpinionView>(), {Screen::Opinion});
    shell.add_view(std::make_unique<ReceiptView>(shell.options().receipt_private_s), {Screen::Receipt});
    shell.add_view(std::make_unique<SurveyView>(), {Screen::Survey});
    shell.add_view(std::make_unique<PublicCommentView>(), {Screen::PublicComment});
    shell.add_view(std::make_unique<ProposalView>(), {Screen::Proposal});
    shell.add_view(std::make_unique<OrganizationsView>(), {Screen::Organizations, Screen::Organization});
    shell.add_view(std::make_unique<CancelView>(), {Screen::Cancel});   // cancel a sign-up made here
    shell.add_view(std::make_unique<TalentView>(), {Screen::Talent});   // 人材バンク
    shell.add_view(std::make_unique<GroupsView>(), {Screen::Groups});   // 団体の利用登録
    shell.add_view(std::make_unique<BookingView>(), {Screen::Booking, Screen::Consult});   // 部屋・機器, 協働相談
}

}  // namespace kyodo::app::screens
