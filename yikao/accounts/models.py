from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from yikao.accounts.identity import GENDER_LABELS, ID_TYPE_LABELS, Gender, IdType
from yikao.core.fields import EncryptedTextField
from yikao.core.masking import mask_id_number, mask_phone


class UserManager(BaseUserManager):
    def with_username(self, username: str):
        """Users named `username`, case-insensitively, through the Lower(username) index
        (`__iexact` compiles to UPPER(…) on PostgreSQL and scans the table)."""
        return self.alias(username_lower=Lower("username")).filter(username_lower=username.lower())

    def get_by_natural_key(self, username):
        return self.with_username(username).get()

    def create_user(self, username, password=None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: a candidate (with a Candidate row) or a member of staff."""

    username = models.CharField("用户名", max_length=20)
    is_staff = models.BooleanField("工作人员", default=False)
    is_active = models.BooleanField("有效", default=True)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    # Sign-up lands on 个人信息 once; after that, logins land on 首页 (the seed, §1.1).
    has_seen_profile = models.BooleanField(default=False)
    # Set by a staff password reset: the one-time password must be changed at next login.
    must_change_password = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_username = user.__dict__.get("username")
        return user

    def save(self, *args, **kwargs):
        # A 用户名 can never be changed (the seed: 用户名一经注册不能修改): staff and
        # candidates are known by it in audit rows, exports and what they wrote down.
        stored = getattr(self, "_stored_username", None)
        if stored is not None and self.username != stored:
            raise ValueError("用户名注册后不能修改。")
        super().save(*args, **kwargs)
        self._stored_username = self.username

    @property
    def idle_timeout_seconds(self) -> int:
        """Staff sessions end after 15 idle minutes, candidates' after 30."""
        return 15 * 60 if self.is_staff else settings.IDLE_TIMEOUT_SECONDS


class Candidate(models.Model):
    """A candidate's basic information (基本信息), fixed at sign-up; staff correct it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="candidate")
    full_name = models.CharField("姓名", max_length=60)
    id_type = models.CharField(
        "证件类型", max_length=24, choices=[(t.value, t.label) for t in IdType]
    )
    id_number = EncryptedTextField("证件号码", purpose="candidate.id_number")
    # HMAC of the number: exact lookup at login and recovery, and one account per ID.
    id_number_hash = models.CharField(max_length=64, unique=True)
    gender = models.CharField(
        "性别", max_length=1, choices=[(g.value, GENDER_LABELS[g]) for g in Gender]
    )
    birth_date = models.DateField("出生日期")
    mobile = EncryptedTextField("手机号码", purpose="candidate.mobile")
    mobile_hash = models.CharField(max_length=64, db_index=True)
    email = models.EmailField("电子邮箱", blank=True)
    security_question = models.CharField("密码提示问题", max_length=50)
    security_answer_hash = models.CharField(max_length=200)
    accepted_terms_at = models.DateTimeField("同意协议时间")
    # Shown to the candidate after staff corrected basic information (issue 8).
    corrected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考生"
        verbose_name_plural = "考生"
        # Staff search a site's queue by the beginning of a name (review.selectors).
        indexes = [models.Index(fields=["full_name"], name="accounts_candidate_name")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.masked_id_number})"

    @property
    def id_type_label(self) -> str:
        return ID_TYPE_LABELS[IdType(self.id_type)]

    @property
    def gender_label(self) -> str:
        return GENDER_LABELS[Gender(self.gender)]

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)
