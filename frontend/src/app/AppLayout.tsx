import { HomeOutlined, LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Link, useRouterState } from "@tanstack/react-router";
import { Avatar, Button, Flex, Layout, Menu, Space, Tag, Tooltip, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { useAreaNames } from "@/features/admin-units/queries";
import { canRead } from "./screen";
import { SCREENS } from "./screens";
import { useDeniedScreens, useServices, useSession } from "./services";

const { Header, Sider, Content, Footer } = Layout;

/** The screens this person may use (their role, less any a service refused). */
export function useVisibleScreens() {
  const { user } = useSession();
  const denied = useDeniedScreens();
  return SCREENS.filter((screen) => canRead(screen, user, denied));
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session } = useServices();
  const { user } = useSession();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const screens = useVisibleScreens();
  const areaCodes = user?.areaCodes ?? [];
  const areaNames = useAreaNames(areaCodes);

  const selected =
    screens.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`))?.id ?? "home";
  const items = [
    { key: "home", icon: <HomeOutlined />, label: <Link to="/">{t("nav.home")}</Link> },
    ...screens.map((screen) => ({
      key: screen.id,
      icon: screen.icon,
      label: (
        <Link to={screen.path} title={t(screen.labelKey)}>
          {t(screen.labelKey)}
        </Link>
      ),
    })),
  ];

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Sider
        breakpoint="lg"
        collapsedWidth={0}
        width={240}
        theme="light"
        style={{ borderRight: "1px solid #f0f0f0" }}
      >
        <Flex align="center" gap={8} style={{ height: 64, padding: "0 20px" }}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <div style={{ lineHeight: 1.2 }}>
            <Typography.Text strong>{t("app.name")}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("app.title")}
            </Typography.Text>
          </div>
        </Flex>
        <nav aria-label={t("nav.menu")}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: "#fff",
            padding: "0 24px",
            borderBottom: "1px solid #f0f0f0",
            display: "flex",
            alignItems: "center",
            justifyContent: "space-between",
            gap: 16,
          }}
        >
          <Space size={4} wrap data-testid="area-codes">
            <Typography.Text type="secondary">{t("auth.areas")}:</Typography.Text>
            {areaCodes.map((code) => (
              <Tooltip key={code} title={areaNames[code]}>
                <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                  {areaNames[code] ? `${code} · ${areaNames[code]}` : code}
                </Tag>
              </Tooltip>
            ))}
          </Space>
          <Space size="middle">
            <LanguageSwitch />
            <Space size={8} data-testid="current-user">
              <Avatar size="small" icon={<UserOutlined />} />
              <div style={{ lineHeight: 1.2 }}>
                <Typography.Text strong>{user?.name}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {(user?.roles ?? [])
                    .map((role) => t(`roles.${role}` as "roles.auditor", { defaultValue: role }))
                    .join(", ")}
                </Typography.Text>
              </div>
            </Space>
            <Button icon={<LogoutOutlined />} onClick={() => void session.logout()}>
              {t("auth.signOut")}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          <main>{children}</main>
        </Content>
        <Footer style={{ textAlign: "center", fontSize: 12, color: "#8c8c8c" }}>{t("app.footer")}</Footer>
      </Layout>
    </Layout>
  );
}
