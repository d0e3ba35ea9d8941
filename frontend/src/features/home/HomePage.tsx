import { Link } from "@tanstack/react-router";
import { Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useVisibleScreens } from "@/app/AppLayout";
import { useUser } from "@/app/services";
import { useAreaNames } from "@/features/admin-units/queries";
import { Dashboard } from "@/features/dashboard/Dashboard";

/** Home: who you are, where you work, the dashboard of your area, and what you can open. */
export function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const screens = useVisibleScreens();
  const areaNames = useAreaNames(user.areaCodes);
  return (
    <>
      <Typography.Title level={3}>{t("home.greeting", { name: user.name })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("home.intro")}</Typography.Paragraph>
      <Card style={{ marginBottom: 24 }}>
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t("home.yourRoles")}>
            <Space wrap data-testid="home-roles">
              {user.roles.map((role) => (
                <Tag key={role} color="geekblue">
                  {t(`roles.${role}` as "roles.auditor", { defaultValue: role })}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("home.yourAreas")}>
            <Space wrap data-testid="home-areas">
              {user.areaCodes.map((code) => (
                <Tag key={code} color="blue">
                  {areaNames[code] ? `${code} · ${areaNames[code]}` : code}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Dashboard />
      <Typography.Title level={4}>{t("home.screens")}</Typography.Title>
      {screens.length === 0 ? (
        <Empty description={t("home.noScreens")} />
      ) : (
        <Row gutter={[16, 16]}>
          {screens.map((screen) => (
            <Col key={screen.id} xs={24} sm={12} lg={8}>
              <Link to={screen.path} style={{ display: "block" }}>
                <Card hoverable>
                  <Space>
                    <span style={{ fontSize: 22, color: "#1677ff" }}>{screen.icon}</span>
                    <Typography.Text strong>{t(screen.labelKey)}</Typography.Text>
                  </Space>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
