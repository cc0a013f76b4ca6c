import Foundation

/// The names staff read for the domain's states and roles (zh-CN first; the English names are
/// the wire names, so `--lang en` output stays what scripts already parse).

extension TipStatus {
    /// 已接收 / 已受理 / 不予受理 / 核查中 / 查证属实 / 未查实 / 已办结 (S-5.1 verification states).
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .received: return "已接收"
        case .triaged: return "已受理"
        case .rejected: return "不予受理"
        case .verifying: return "核查中"
        case .verified: return "查证属实"
        case .unfounded: return "未查实"
        case .closed: return "已办结"
        }
    }

    /// The status a staff member typed: its wire name or its Chinese label.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = TipStatus(rawValue: trimmed) ?? TipStatus.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }

    /// Whether the verification has its answer (verified, unfounded, rejected, closed): staff no
    /// longer count time left on it.
    public var isDecided: Bool { [.verified, .unfounded, .rejected, .closed].contains(self) }
}

extension Urgency {
    /// The tier's name when no policy is at hand (the policy's `label_zh`/`label_en` win: `TimelinessPolicy`).
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .major: return "重大"
        case .important: return "重要"
        case .routine: return "一般"
        }
    }

    /// The urgency a staff member typed: its wire name or its Chinese name.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Urgency(rawValue: trimmed) ?? Urgency.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }
}

extension StaffRole {
    /// 受理员 / 身份保管人 / 主管 / 会计 / 审计员 / 管理员.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .triage: return "受理员"
        case .identityHolder: return "身份保管人"
        case .supervisor: return "主管"
        case .accountant: return "会计"
        case .auditor: return "审计员"
        case .admin: return "管理员"
        case .liaison: return "信息联络员"
        case .handler: return "信息员管理"
        case .editor: return "编辑"
        case .clerk: return "台账员"
        case .assessor: return "考核员"
        }
    }
}

extension StaffAction {
    /// What the action did, for the auditor's log (`tipline-audit log`).
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .readQueue: return "查看队列"
        case .readTip: return "查看举报"
        case .readContent: return "读取举报内容"
        case .changeStatus: return "变更状态"
        case .assign: return "分派"
        case .note: return "内部备注"
        case .reply: return "答复举报人"
        case .changeUrgency: return "调整紧急程度"
        case .route: return "转办"
        case .wrapIdentity: return "补加身份包装"
        case .unseal: return "打开举报人身份"
        case .markCanary: return "标记探针举报"
        case .recordTip: return "代录举报"
        case .readStats: return "查看统计"
        case .enrolStaff: return "登记工作人员"
        case .enrolPending: return "首次批准登记"
        case .revokeStaff: return "吊销工作人员"
        case .listStaff: return "查看名录"
        case .proposeReward: return "提议奖励"
        case .approveReward: return "批准奖励"
        case .fundRewards: return "注资"
        case .redeemVoucher: return "兑付"
        case .expireVouchers: return "兑付码过期"
        case .readLedger: return "查看账簿"
        case .exportAudit: return "导出审计"
        case .readMetrics: return "读取指标"
        case .watchEvents: return "接收通知"
        case .readNetwork: return "查看信息网络"
        case .setUnitLeaders: return "登记责任领导"
        case .unitSelfCheck: return "年度到位自查"
        case .recordLiaison: return "登记联络员任命"
        case .addTraining: return "登记培训"
        case .importAreas: return "导入村（社区）"
        case .registerInformant: return "登记信息员"
        case .readInformants: return "查看信息员"
        case .changeInformant: return "变更信息员状态"
        case .reviewInformant: return "信息员定期审查"
        case .reissueInformantCode: return "重发信息员代码"
        case .requestInformantUnseal: return "申请打开信息员身份"
        case .approveInformantUnseal: return "批准打开信息员身份"
        case .unsealInformant: return "打开信息员身份"
        case .newItem: return "撰写信息"
        case .addItemPicture: return "附加信息图片"
        case .submitItem: return "报送信息"
        case .listItems: return "查看信息列表"
        case .readItem: return "阅读信息"
        case .returnItem: return "退回信息"
        case .acceptItem: return "接收信息"
        case .zeroReport: return "零报告"
        case .openCall: return "约稿"
        case .editItem: return "编辑信息（新版本）"
        case .adoptItem: return "登记信息采用"
        case .readAdoption: return "查看采用统计"
        case .newBulletin: return "新建快报/简报"
        case .addToBulletin: return "编入快报/简报"
        case .publishBulletin: return "印发快报/简报"
        case .listBulletins: return "查看快报/简报"
        case .readBulletin: return "阅读快报/简报"
        case .listReports: return "查看信息员报告"
        case .readReport: return "阅读信息员报告"
        case .replyReport: return "回复信息员"
        case .reportToTip: return "信息员报告转为举报"
        case .listBooks: return "查看台账目录"
        case .addRecord: return "新增台账记录"
        case .editRecord: return "修改台账记录（新版本）"
        case .readRecords: return "读取台账记录"
        case .readRecordNames: return "打开个体经营者姓名"
        case .bookZeroReport: return "台账零报告"
        case .proposeRemuneration: return "提议信息稿酬"
        case .proposeSubsidy: return "提议专项补助"
        case .approvePayment: return "审批稿酬或补助"
        case .payPayment: return "登记支付"
        case .readPayments: return "查看稿酬与补助"
        case .readAssessment: return "查看考核结果"
        case .adjustAssessment: return "考核加减分（附理由）"
        case .freezeAssessment: return "冻结年度考核结果"
        case .rotateKey: return "轮换中心密钥"
        case .rewrapKeys: return "重新包装给新密钥"
        case .retireKey: return "停用旧中心密钥"
        }
    }
}

extension ServerAction {
    /// What the server did on its own, for the auditor's log.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .tipReceived: return "收到举报"
        case .reporterMessage: return "举报人留言"
        case .informantReport: return "信息员报告"
        case .policiesLoaded: return "载入政策文件"
        case .staffBootstrap: return "首位管理员"
        case .identityDestroyed: return "销毁身份（保存期满）"
        case .contentDestroyed: return "销毁内容（保存期满）"
        case .vouchersExpired: return "兑付码过期"
        case .ledgerReconciled: return "补记账簿分录"
        case .legacyReceiptParameters: return "记录旧回执参数"
        case .reporterEvidence: return "举报人补充文件"
        }
    }
}

/// An audit entry's action name in the reader's language (its wire name when it is unknown).
public func auditActionLabel(_ action: String, _ language: Language) -> String {
    if let staff = StaffAction(rawValue: action) { return staff.label(language) }
    if let server = ServerAction(rawValue: action) { return server.label(language) }
    return action
}
