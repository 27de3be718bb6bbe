from django import forms

from qicha.core.forms import StyledFormMixin


class SummaryForm(StyledFormMixin, forms.Form):
    """The summary's head and signature; the narrative sections are posted as parallel `heading` / `text` lists."""

    title = forms.CharField(label="标题", max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="2号方正小标宋简体居中；换行处即标题的分行处（按词意完整分行）。")
    issuer = forms.CharField(label="署名（发文机关）", max_length=100)
    issued_on = forms.DateField(label="成文日期", widget=forms.DateInput,
                                help_text="文档中用阿拉伯数字标注，如 2026年6月23日。")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    as_of = forms.DateField(required=False, widget=forms.HiddenInput)  # the day the figures are counted at


def as_of_from(params):
    """?as_of=YYYY-MM-DD (the summary's figures as of that day), or None for the default; a bad date is ignored."""
    from datetime import date

    try:
        return date.fromisoformat((params.get("as_of") or "").strip())
    except ValueError:
        return None


def posted_sections(post) -> list[dict]:
    headings, texts = post.getlist("heading"), post.getlist("text")
    return [{"heading": h, "text": t} for h, t in zip(headings, texts, strict=False)]


class BriefingPeriodForm(StyledFormMixin, forms.Form):
    """The period a 简报 reports on."""

    start = forms.DateField(label="统计起始日", widget=forms.DateInput)
    end = forms.DateField(label="统计截止日", widget=forms.DateInput)


class BriefingForm(StyledFormMixin, forms.Form):
    """The 简报's head, lead and foot; its sections are posted as parallel `heading` / `text` lists."""

    period_start = forms.DateField(widget=forms.HiddenInput)
    period_end = forms.DateField(widget=forms.HiddenInput)
    masthead = forms.CharField(label="刊头（红色大字）", max_length=60)
    title = forms.CharField(label="标题", max_length=200)
    issuer = forms.CharField(label="编发单位", max_length=100)
    issued_on = forms.DateField(label="编发日期", widget=forms.DateInput)
    lead = forms.CharField(label="导语", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    report_to = forms.CharField(label="报", max_length=300, required=False)
    copy_to = forms.CharField(label="送", max_length=300, required=False)
    send_to = forms.CharField(label="发", max_length=300, required=False)
