from ninja import Router

from . import queries

router = Router(tags=["统计看板"])


@router.get("/dashboard", summary="统计看板：全部图表数据（campaign、unit（含下级）；每个数字附明细列表的页面与 API 地址）")
def dashboard(request, campaign: str = "", unit: str = ""):
    data = queries.cockpit(request.user, {"campaign": campaign, "unit": unit})  # NotFound → 404
    focus = data["focus"]
    return {
        "campaign": {"id": focus.campaign.pk, "name": focus.campaign.name} if focus.campaign else None,
        "unit": {"id": focus.unit.pk, "name": focus.unit.name} if focus.unit else None,
        "as_of": data["today"],
        "panels": [queries.panel_data(panel) for panel in data["panels"]],
    }
