import { HomeOutlined, LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Link, useRouterState } from "@tanstack/react-router";
import {
  Avatar,
  Button,
  ConfigProvider,
  Flex,
  Layout,
  Menu,
  type MenuProps,
  Space,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { useAreaNames } from "@/features/admin-units/queries";
import { groupScreens, sectionOf, shouldFold } from "./menu";
import { canRead, type Screen } from "./screen";
import { SCREENS } from "./screens";
import { useDeniedScreens, useServices, useSession } from "./services";

const { Header, Sider, Content, Footer } = Layout;

/** The screens this person may use (their role, less any a service refused). */
export function useVisibleScreens() {
  const { user } = useSession();
  const denied = useDeniedScreens();
  return SCREENS.filter((screen) => canRead(screen, user, denied));
}

const sectionKey = (id: string) => `section:${id}`;

/** The sidebar: Home, then one folding section per service or domain. With few entries every section
 * is open; with many (a province officer or an auditor sees over twenty), one at a time: the current
 * screen's, or the one last opened, so the menu fits a 1366x768 screen. The keyboard works as antd's
 * menu has it: the arrow keys move between section titles and entries (an entry's link takes the
 * focus), Enter opens or closes a section and follows a link. */
function SideMenu({ screens, pathname }: { screens: Screen[]; pathname: string }) {
  const { t } = useTranslation();
  const current = screens.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
  const activeSection = sectionOf(current?.id);
  const activeKey = activeSection ? sectionKey(activeSection) : undefined;
  const { groups, loose } = groupScreens(screens);
  const allKeys = groups.map((g) => sectionKey(g.section.id));
  const folded = shouldFold(screens);
  const [openKeys, setOpenKeys] = useState<string[]>(() =>
    folded ? (activeKey ? [activeKey] : []) : allKeys,
  );
  // The current screen's section opens when the screen is reached another way (a link, the address).
  useEffect(() => {
    if (!activeKey) return;
    setOpenKeys((keys) => (keys.includes(activeKey) ? keys : folded ? [activeKey] : [...keys, activeKey]));
  }, [activeKey, folded]);

  const entry = (screen: Screen) => ({
    key: screen.id,
    icon: screen.icon,
    label: (
      <Link to={screen.path} title={t(screen.labelKey)}>
        {t(screen.labelKey)}
      </Link>
    ),
  });
  const items: MenuProps["items"] = [
    { key: "home", icon: <HomeOutlined />, label: <Link to="/">{t("nav.home")}</Link> },
    ...groups.map(({ section, screens: members }) => ({
      key: sectionKey(section.id),
      icon: section.icon,
      label: t(section.labelKey),
      children: members.map(entry),
    })),
    ...loose.map(entry),
  ];

  return (
    <ConfigProvider theme={{ components: { Menu: { itemHeight: 36, itemMarginBlock: 2 } } }}>
      <Menu
        mode="inline"
        selectedKeys={[current?.id ?? "home"]}
        openKeys={openKeys}
        onOpenChange={(keys) => {
          // Folded: opening a section closes the others.
          const opened = keys.find((k) => !openKeys.includes(k));
          setOpenKeys(folded && opened ? [opened] : keys);
        }}
        items={items}
        style={{ borderInlineEnd: 0 }}
      />
    </ConfigProvider>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session } = useServices();
  const { user } = useSession();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const screens = useVisibleScreens();
  const areaCodes = user?.areaCodes ?? [];
  const areaNames = useAreaNames(areaCodes);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Sider
        breakpoint="lg"
        collapsedWidth={0}
        width={240}
        theme="light"
        // Its own scroll, beside the page's: the menu stays in view on a long page.
        style={{
          borderRight: "1px solid #f0f0f0",
          position: "sticky",
          top: 0,
          height: "100vh",
          overflowY: "auto",
        }}
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
          <SideMenu screens={screens} pathname={pathname} />
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
